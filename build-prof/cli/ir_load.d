build-prof/cli/ir_load.o: cli/ir_load.c cli/ir_load.h ir/ir.h base/diag.h \
 base/source.h base/arena.h base/status.h base/str.h ir/ops.def
cli/ir_load.h:
ir/ir.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
ir/ops.def:
