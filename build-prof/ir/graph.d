build-prof/ir/graph.o: ir/graph.c ir/ir.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h ir/ops.def
ir/ir.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
ir/ops.def:
