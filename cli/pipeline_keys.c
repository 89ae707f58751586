/* pipeline_keys.c - ties the IR to the build context: each COPY/ADD from the
 * context gets the content digest of the files it selects, so its key
 * changes exactly when those files do (backend/context.c does the I/O). */
#include "cli/pipeline.h"

#include <stdio.h>
#include <string.h>

#include "backend/backend.h"

/* Adds the content digest of the context files each COPY/ADD selects, so
 * the keys change exactly when those files do. */
enum mdk_status mdk_cli_ir_hash_context(struct mdk_arena *a,
                                        struct mdk_ir_graph *g,
                                        const char *context,
                                        const char *dockerfile,
                                        const char *cache_root, bool verbose)
{
  struct mdk_be_context ctx;
  size_t si, k, total = 0;
  int err;
  enum mdk_status st;

  st = mdk_be_context_open(a, context, dockerfile, cache_root, &ctx, &err);
  if(st) {
    fprintf(stderr, "mdock: error: cannot open the build context %s: %s\n",
            context, strerror(err));
    return st;
  }
  for(si = 0; si < g->nstages; si++) {
    struct mdk_ir_stage *s = g->stages[si];
    if(!s->reachable || s->alias_of >= 0)
      continue;
    for(k = 0; k < s->nops; k++) {
      struct mdk_ir_op *op = s->ops[k];
      const struct mdk_ir_field *from = mdk_ir_op_get(op, MDK_IR_F_FROM);
      const struct mdk_ir_field *src = mdk_ir_op_get(op, MDK_IR_F_SRC);
      struct mdk_str *sel, digest;
      const char **missing;
      size_t n = 0, m, nfiles;
      if(op->dead || (op->kind != MDK_IR_COPY && op->kind != MDK_IR_ADD) ||
         !from || !src || !mdk_str_eq_c(from->vals[0], "context"))
        continue;
      sel = mdk_arena_array(a, struct mdk_str, src->nvals + 1);
      for(m = 0; m < src->nvals; m++)
        if(mdk_ir_source_kind(src->vals[m]) == MDK_IR_SRC_CONTEXT)
          sel[n++] = src->vals[m];
      if(!n)
        continue;
      mdk_be_context_digest(&ctx, sel, n, &digest, &missing, &nfiles);
      for(m = 0; missing[m]; m++)
        fprintf(stderr, "mdock: warning: line %u: %s source \"%s\" is not "
                "in the build context%s\n", op->line, op->instr, missing[m],
                ctx.ig.n ? " (or is excluded by .dockerignore)" : "");
      mdk_ir_field(g, op, MDK_IR_F_CONTEXT, digest);
      total += nfiles;
    }
  }
  if(verbose)
    fprintf(stderr, "mdock: context: %zu entries selected, %llu files "
            "hashed (%.1f MB), %llu from the stat cache\n", total,
            (unsigned long long)ctx.files_hashed,
            (double)ctx.bytes_hashed / 1e6,
            (unsigned long long)ctx.files_cached);
  st = mdk_be_context_close(&ctx);
  if(st)
    fprintf(stderr, "mdock: warning: could not save the stat cache\n");
  mdk_ir_hash_all(g);
  return MDK_OK;
}

