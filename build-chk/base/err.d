build-chk/base/err.o: base/err.c base/err.h base/diag.h base/source.h \
 base/arena.h base/status.h base/str.h
base/err.h:
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
