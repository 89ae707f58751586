build-prof/gen/lexer.o: build-prof/gen/lexer.c base/utf8.h \
 frontend/scanner.h base/diag.h base/source.h base/arena.h base/status.h \
 base/str.h frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 build-prof/gen/parser.h
base/utf8.h:
frontend/scanner.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
build-prof/gen/parser.h:
