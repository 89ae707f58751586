/* runtime.h - runtime/'s public header: one step in an isolated root, run
 * by mdock's own namespaces (run.h) or handed to an installed OCI runtime
 * (oci.h), and the image's user database (userdb.h).  runtime/ knows
 * nothing of images: it gets directories. */
#ifndef MDK_RUNTIME_H
#define MDK_RUNTIME_H

#include "runtime/run.h"
#include "runtime/oci.h"
#include "runtime/overlay.h"
#include "runtime/net.h"
#include "runtime/userdb.h"
#include "runtime/userns.h"
#include "runtime/binfmt.h"

#endif
