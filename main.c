#include <stdio.h>
#include "frontend/frontend.h"
int main(int argc, char **argv)
{
  struct mdk_arena a; struct mdk_diags d; struct mdk_source *src; int e;
  struct mdk_fe_ast *ast; struct mdk_buf b;
  mdk_arena_init(&a); mdk_diags_init(&d, &a);
  if(argc < 2 || mdk_source_read(&a, argv[1], 1<<26, &src, &e)) return 2;
  if(mdk_fe_parse(&a, &d, src, &ast)) { mdk_diags_print(&d, stderr, false); return 1; }
  mdk_buf_init(&b, 1<<30); mdk_fe_ast_dump_buildkit(ast, &b); fwrite(b.ptr, 1, b.len, stdout);
  return 0;
}
