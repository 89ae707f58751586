build-chk/tests/test_shlex: tests/test_shlex.c tests/corpus.h \
 frontend/shlex.h base/base.h base/arena.h base/diag.h base/source.h \
 base/status.h base/str.h base/dockerignore.h base/err.h base/fsutil.h \
 base/inroot.h base/jsonw.h base/limits.h base/sha256.h base/utf8.h
tests/corpus.h:
frontend/shlex.h:
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
