build-chk/ir/hash.o: ir/hash.c ir/ir.h base/base.h base/arena.h \
 base/diag.h base/source.h base/status.h base/str.h base/dockerignore.h \
 base/err.h base/fsutil.h base/inroot.h base/jsonw.h base/limits.h \
 base/sha256.h base/utf8.h ir/ops.def ir/fields.def
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
