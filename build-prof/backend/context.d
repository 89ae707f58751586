build-prof/backend/context.o: backend/context.c backend/context.h \
 base/dockerignore.h base/arena.h base/str.h base/status.h \
 backend/statcache.h base/diag.h base/source.h base/fsutil.h \
 base/sha256.h
backend/context.h:
base/dockerignore.h:
base/arena.h:
base/str.h:
base/status.h:
backend/statcache.h:
base/diag.h:
base/source.h:
base/fsutil.h:
base/sha256.h:
