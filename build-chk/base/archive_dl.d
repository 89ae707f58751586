build-chk/base/archive_dl.o: base/archive_dl.c base/archive_dl.h \
 base/archive_syms.def
base/archive_dl.h:
base/archive_syms.def:
