build-prof/ir/hash.o: ir/hash.c ir/ir.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h ir/ops.def base/sha256.h
ir/ir.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
ir/ops.def:
base/sha256.h:
