build-chk/base/str.o: base/str.c base/str.h base/arena.h base/status.h
base/str.h:
base/arena.h:
base/status.h:
