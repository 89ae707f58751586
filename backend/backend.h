/* backend.h - backend/'s public header: the executor.  It resolves base
 * images, walks the optimized IR, looks each op's key up in the store's
 * cache, builds what misses (COPY/ADD, RUN through runtime/, config
 * deltas) and writes the outputs.  It parses no text: the IR is typed. */
#ifndef MDK_BACKEND_H
#define MDK_BACKEND_H

#include "backend/build.h"
#include "backend/context.h"
#include "backend/output.h"
#include "backend/run_step.h"
#include "backend/ssh.h"

#endif
