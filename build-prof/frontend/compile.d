build-prof/frontend/compile.o: frontend/compile.c frontend/frontend.h \
 base/diag.h base/source.h base/arena.h base/status.h base/str.h \
 frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 frontend/commands.h frontend/shlex.h frontend/expand.h ir/ir.h \
 ir/ops.def
frontend/frontend.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
ir/ir.h:
ir/ops.def:
