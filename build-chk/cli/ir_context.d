build-chk/cli/ir_context.o: cli/ir_context.c cli/ir_context.h ir/ir.h \
 base/base.h base/arena.h base/diag.h base/source.h base/status.h \
 base/str.h base/dockerignore.h base/err.h base/fsutil.h base/inroot.h \
 base/jsonw.h base/limits.h base/sha256.h base/utf8.h ir/ops.def \
 ir/fields.def backend/backend.h backend/build.h store/store.h \
 store/cas.h store/compress.h store/gc.h store/image.h store/layer.h \
 store/secrets_scan.h store/snapshot.h store/statcache.h \
 backend/run_step.h backend/context.h backend/output.h
cli/ir_context.h:
ir/ir.h:
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
ir/ops.def:
ir/fields.def:
backend/backend.h:
backend/build.h:
store/store.h:
store/cas.h:
store/compress.h:
store/gc.h:
store/image.h:
store/layer.h:
store/secrets_scan.h:
store/snapshot.h:
store/statcache.h:
backend/run_step.h:
backend/context.h:
backend/output.h:
