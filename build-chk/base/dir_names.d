build-chk/base/dir_names.o: base/dir_names.c base/fsutil.h base/status.h \
 base/str.h base/arena.h
base/fsutil.h:
base/status.h:
base/str.h:
base/arena.h:
