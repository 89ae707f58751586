/* lint.h - lint/'s public header: the rule engine and its tables
 * (BuildKit's checks, Modal compatibility, best practice), configs and
 * pragmas, the output formats, and the run over many files. */
#ifndef MDK_LINT_H
#define MDK_LINT_H

#include "lint/engine.h"
#include "lint/config.h"
#include "lint/output.h"
#include "lint/run.h"

#endif
