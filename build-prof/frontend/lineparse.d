build-prof/frontend/lineparse.o: frontend/lineparse.c \
 frontend/lineparse.h frontend/ast.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h frontend/checkcfg.h \
 frontend/instructions.def base/utf8.h frontend/gojson.h frontend/shlex.h
frontend/lineparse.h:
frontend/ast.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/checkcfg.h:
frontend/instructions.def:
base/utf8.h:
frontend/gojson.h:
frontend/shlex.h:
