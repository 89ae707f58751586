build-prof/frontend/ast_json.o: frontend/ast_json.c frontend/frontend.h \
 base/diag.h base/source.h base/arena.h base/status.h base/str.h \
 frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 frontend/commands.h frontend/shlex.h frontend/expand.h base/jsonw.h
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
base/jsonw.h:
