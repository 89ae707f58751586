build-prof/frontend/ast.o: frontend/ast.c frontend/ast.h base/diag.h \
 base/source.h base/arena.h base/status.h base/str.h frontend/checkcfg.h \
 frontend/instructions.def base/utf8.h
frontend/ast.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/checkcfg.h:
frontend/instructions.def:
base/utf8.h:
