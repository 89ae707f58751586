build-chk/base/dockerignore.o: base/dockerignore.c base/dockerignore.h \
 base/arena.h base/str.h base/status.h
base/dockerignore.h:
base/arena.h:
base/str.h:
base/status.h:
