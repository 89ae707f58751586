build-chk/base/limits.o: base/limits.c base/limits.h
base/limits.h:
