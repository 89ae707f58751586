build-chk/registry/client.o: registry/client.c registry/client.h \
 store/store.h store/cas.h base/base.h base/arena.h base/diag.h \
 base/source.h base/status.h base/str.h base/dockerignore.h base/err.h \
 base/fsutil.h base/inroot.h base/jsonw.h base/limits.h base/sha256.h \
 base/utf8.h store/compress.h store/gc.h store/image.h store/layer.h \
 store/secrets_scan.h store/snapshot.h store/statcache.h \
 registry/curl_dl.h base/crypto_dl.h registry/creds.h registry/meter.h \
 registry/regdoc.h
registry/client.h:
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
registry/curl_dl.h:
base/crypto_dl.h:
registry/creds.h:
registry/meter.h:
registry/regdoc.h:
