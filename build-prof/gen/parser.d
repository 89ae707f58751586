build-prof/gen/parser.o: build-prof/gen/parser.c build-prof/gen/parser.h \
 frontend/scanner.h base/diag.h base/source.h base/arena.h base/status.h \
 base/str.h frontend/ast.h frontend/checkcfg.h frontend/instructions.def
build-prof/gen/parser.h:
frontend/scanner.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
