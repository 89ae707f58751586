build-prof/frontend/expand.o: frontend/expand.c frontend/expand.h \
 frontend/commands.h frontend/ast.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h frontend/checkcfg.h \
 frontend/instructions.def frontend/shlex.h frontend/lineparse.h \
 frontend/validate.h
frontend/expand.h:
frontend/commands.h:
frontend/ast.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/shlex.h:
frontend/lineparse.h:
frontend/validate.h:
