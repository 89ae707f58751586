/* ir_load.h - reads an IR saved with `mdock ir --format json` back, so
 * `mdock ir --diff` can compare a Dockerfile against an earlier run. */
#ifndef MDK_CLI_IR_LOAD_H
#define MDK_CLI_IR_LOAD_H

#include "ir/ir.h"

/* Returns MDK_EINPUT with *why set when text is not an mdock.ir/v1
 * document. */
enum mdk_status mdk_cli_ir_load(struct mdk_arena *a, struct mdk_str text,
                                struct mdk_ir_graph **out, const char **why);

#endif
