build-prof/ir/dump.o: ir/dump.c ir/ir.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h ir/ops.def base/jsonw.h
ir/ir.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
ir/ops.def:
base/jsonw.h:
