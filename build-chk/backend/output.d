build-chk/backend/output.o: backend/output.c backend/output.h \
 store/store.h store/cas.h base/base.h base/arena.h base/diag.h \
 base/source.h base/status.h base/str.h base/dockerignore.h base/err.h \
 base/fsutil.h base/inroot.h base/jsonw.h base/limits.h base/sha256.h \
 base/utf8.h store/compress.h store/gc.h store/image.h store/layer.h \
 store/secrets_scan.h store/snapshot.h store/statcache.h \
 base/archive_dl.h base/archive_syms.def backend/build.h \
 backend/run_step.h ir/ir.h ir/ops.def ir/fields.def registry/registry.h \
 registry/client.h registry/creds.h registry/fetch.h registry/regcache.h \
 registry/regdoc.h
backend/output.h:
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
base/archive_dl.h:
base/archive_syms.def:
backend/build.h:
backend/run_step.h:
ir/ir.h:
ir/ops.def:
ir/fields.def:
registry/registry.h:
registry/client.h:
registry/creds.h:
registry/fetch.h:
registry/regcache.h:
registry/regdoc.h:
