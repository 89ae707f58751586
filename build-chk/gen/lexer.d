build-chk/gen/lexer.o: build-chk/gen/lexer.c base/base.h base/arena.h \
 base/diag.h base/source.h base/status.h base/str.h base/dockerignore.h \
 base/err.h base/fsutil.h base/inroot.h base/jsonw.h base/limits.h \
 base/sha256.h base/utf8.h frontend/scanner.h frontend/ast.h \
 frontend/checkcfg.h frontend/instructions.def build-chk/gen/parser.h
base/base.h:
base/arena.h:
base/diag.h:
base/source.h:
base/status.h:
base/str.h:
base/dockerignore.h:
base/err.h:
base/fsutil.h:
base/inroot.h:
base/jsonw.h:
base/limits.h:
base/sha256.h:
base/utf8.h:
frontend/scanner.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
build-chk/gen/parser.h:
