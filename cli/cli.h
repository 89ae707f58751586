/* cli.h - cli/'s public header, for main.c only. */
#ifndef MDK_CLI_H
#define MDK_CLI_H

#include "cli/base_env.h"
#include "cli/ir_context.h"
#include "cli/ir_load.h"
#include "cli/store_cmds.h"

#endif
