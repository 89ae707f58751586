build-prof/cli/ir_context.o: cli/ir_context.c cli/ir_context.h ir/ir.h \
 base/diag.h base/source.h base/arena.h base/status.h base/str.h \
 ir/ops.def backend/context.h base/dockerignore.h backend/statcache.h
cli/ir_context.h:
ir/ir.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
ir/ops.def:
backend/context.h:
base/dockerignore.h:
backend/statcache.h:
