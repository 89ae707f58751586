build-prof/frontend/shlex.o: frontend/shlex.c frontend/shlex.h \
 base/arena.h base/str.h base/status.h base/utf8.h
frontend/shlex.h:
base/arena.h:
base/str.h:
base/status.h:
base/utf8.h:
