build-prof/backend/statcache.o: backend/statcache.c backend/statcache.h \
 base/status.h base/fsutil.h base/str.h base/arena.h
backend/statcache.h:
base/status.h:
base/fsutil.h:
base/str.h:
base/arena.h:
