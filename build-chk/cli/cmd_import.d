build-chk/cli/cmd_import.o: cli/cmd_import.c cli/commands.h \
 backend/backend.h backend/build.h store/store.h store/cas.h base/base.h \
 base/arena.h base/diag.h base/source.h base/status.h base/str.h \
 base/dockerignore.h base/err.h base/fsutil.h base/inroot.h base/jsonw.h \
 base/limits.h base/sha256.h base/utf8.h store/compress.h store/gc.h \
 store/image.h store/layer.h store/secrets_scan.h store/snapshot.h \
 store/statcache.h backend/run_step.h ir/ir.h ir/ops.def ir/fields.def \
 backend/context.h backend/output.h cli/input.h cli/opts.h \
 frontend/frontend.h frontend/ast.h frontend/checkcfg.h \
 frontend/instructions.def frontend/commands.h frontend/shlex.h \
 frontend/expand.h frontend/stage_ref.h frontend/validate.h \
 registry/registry.h registry/client.h registry/creds.h registry/fetch.h \
 registry/regcache.h registry/regdoc.h
cli/commands.h:
backend/backend.h:
backend/build.h:
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
backend/run_step.h:
ir/ir.h:
ir/ops.def:
ir/fields.def:
backend/context.h:
backend/output.h:
cli/input.h:
cli/opts.h:
frontend/frontend.h:
frontend/ast.h:
frontend/checkcfg.h:
frontend/instructions.def:
frontend/commands.h:
frontend/shlex.h:
frontend/expand.h:
frontend/stage_ref.h:
frontend/validate.h:
registry/registry.h:
registry/client.h:
registry/creds.h:
registry/fetch.h:
registry/regcache.h:
registry/regdoc.h:
