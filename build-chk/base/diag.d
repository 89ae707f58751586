build-chk/base/diag.o: base/diag.c base/diag.h base/source.h base/arena.h \
 base/status.h base/str.h base/utf8.h
base/diag.h:
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
base/utf8.h:
