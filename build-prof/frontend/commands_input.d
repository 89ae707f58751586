build-prof/frontend/commands_input.o: frontend/commands_input.c \
 frontend/frontend.h base/diag.h base/source.h base/arena.h base/status.h \
 base/str.h frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 frontend/commands.h frontend/shlex.h frontend/expand.h frontend/gojson.h
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
frontend/gojson.h:
