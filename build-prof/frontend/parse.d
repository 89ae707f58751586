build-prof/frontend/parse.o: frontend/parse.c base/utf8.h \
 frontend/frontend.h base/diag.h base/source.h base/arena.h base/status.h \
 base/str.h frontend/ast.h frontend/checkcfg.h frontend/instructions.def \
 frontend/commands.h frontend/shlex.h frontend/expand.h \
 frontend/lineparse.h frontend/scanner.h build-prof/gen/parser.h
base/utf8.h:
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
frontend/lineparse.h:
frontend/scanner.h:
build-prof/gen/parser.h:
