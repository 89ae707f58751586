/* ir_context.h - context digests into IR keys. */
#ifndef MDK_CLI_IR_CONTEXT_H
#define MDK_CLI_IR_CONTEXT_H

#include "ir/ir.h"

/* Adds a "context" field (the digest of the selected files after
 * .dockerignore) to every reachable COPY/ADD from the build context and
 * rehashes the graph.  cache_root NULL: no stat cache on disk. */
enum mdk_status mdk_cli_ir_hash_context(struct mdk_arena *a,
                                        struct mdk_ir_graph *g,
                                        const char *context,
                                        const char *dockerfile,
                                        const char *cache_root, bool verbose);

#endif
