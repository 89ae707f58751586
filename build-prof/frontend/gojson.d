build-prof/frontend/gojson.o: frontend/gojson.c frontend/gojson.h \
 base/arena.h frontend/ast.h base/diag.h base/source.h base/status.h \
 base/str.h frontend/checkcfg.h frontend/instructions.def base/utf8.h
frontend/gojson.h:
base/arena.h:
frontend/ast.h:
base/diag.h:
base/source.h:
base/status.h:
base/str.h:
frontend/checkcfg.h:
frontend/instructions.def:
base/utf8.h:
