build-chk/base/source.o: base/source.c base/source.h base/arena.h \
 base/status.h base/str.h
base/source.h:
base/arena.h:
base/status.h:
base/str.h:
