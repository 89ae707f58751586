build-prof/frontend/validate.o: frontend/validate.c frontend/validate.h \
 base/arena.h base/str.h base/status.h
frontend/validate.h:
base/arena.h:
base/str.h:
base/status.h:
