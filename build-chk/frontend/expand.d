build-chk/frontend/expand.o: frontend/expand.c frontend/expand.h \
 frontend/commands.h frontend/ast.h base/base.h base/arena.h base/diag.h \
 base/source.h base/status.h base/str.h base/dockerignore.h base/err.h \
 base/fsutil.h base/inroot.h base/jsonw.h base/limits.h base/sha256.h \
 base/utf8.h frontend/checkcfg.h frontend/instructions.def \
 frontend/shlex.h frontend/lineparse.h frontend/stage_ref.h \
 frontend/validate.h
frontend/expand.h:
frontend/commands.h:
frontend/ast.h:
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
frontend/checkcfg.h:
frontend/instructions.def:
frontend/shlex.h:
frontend/lineparse.h:
frontend/stage_ref.h:
frontend/validate.h:
