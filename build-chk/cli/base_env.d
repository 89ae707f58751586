build-chk/cli/base_env.o: cli/base_env.c cli/base_env.h store/store.h \
 store/cas.h base/base.h base/arena.h base/diag.h base/source.h \
 base/status.h base/str.h base/dockerignore.h base/err.h base/fsutil.h \
 base/inroot.h base/jsonw.h base/limits.h base/sha256.h base/utf8.h \
 store/compress.h store/gc.h store/image.h store/layer.h \
 store/secrets_scan.h store/snapshot.h store/statcache.h \
 frontend/frontend.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h frontend/stage_ref.h frontend/validate.h
cli/base_env.h:
store/store.h:
store/cas.h:
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
store/compress.h:
store/gc.h:
store/image.h:
store/layer.h:
store/secrets_scan.h:
store/snapshot.h:
store/statcache.h:
frontend/frontend.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
frontend/stage_ref.h:
frontend/validate.h:
