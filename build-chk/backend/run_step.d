build-chk/backend/run_step.o: backend/run_step.c backend/run_step.h \
 store/store.h store/cas.h base/base.h base/arena.h base/diag.h \
 base/source.h base/status.h base/str.h base/dockerignore.h base/err.h \
 base/fsutil.h base/inroot.h base/jsonw.h base/limits.h base/sha256.h \
 base/utf8.h store/compress.h store/gc.h store/image.h store/layer.h \
 store/secrets_scan.h store/snapshot.h store/statcache.h ir/ir.h \
 ir/ops.def ir/fields.def backend/build.h runtime/runtime.h runtime/run.h \
 runtime/oci.h runtime/userdb.h
backend/run_step.h:
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
ir/ir.h:
ir/ops.def:
ir/fields.def:
backend/build.h:
runtime/runtime.h:
runtime/run.h:
runtime/oci.h:
runtime/userdb.h:
