build-chk/base/fsutil.o: base/fsutil.c base/fsutil.h base/status.h
base/fsutil.h:
base/status.h:
