/* base.h - base/'s public header: the leaf utilities every module uses
 * (arena, strings, UTF-8, sources and located diagnostics, errors, limits,
 * atomic files and temp names, in-root path resolution, the JSON writer,
 * SHA-256, .dockerignore patterns).  base/ depends on libc only; the
 * loaders of optional libraries (crypto_dl.h, archive_dl.h) are included
 * on their own, after the library's header, by the files that call it. */
#ifndef MDK_BASE_H
#define MDK_BASE_H

#include "base/arena.h"
#include "base/diag.h"
#include "base/dockerignore.h"
#include "base/err.h"
#include "base/fsutil.h"
#include "base/inroot.h"
#include "base/jsonw.h"
#include "base/limits.h"
#include "base/platform.h"
#include "base/sha256.h"
#include "base/source.h"
#include "base/status.h"
#include "base/str.h"
#include "base/thread.h"
#include "base/userns.h"
#include "base/utf8.h"

/* The PATH of a Linux image that sets none (BuildKit's
 * system.DefaultPathEnv): the empty image has it, a stage FROM scratch
 * starts with it, and a RUN without a PATH gets it. */
#define MDK_DEFAULT_PATH \
  "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#endif
