build-chk/base/arena.o: base/arena.c base/arena.h base/str.h \
 base/status.h
base/arena.h:
base/str.h:
base/status.h:
