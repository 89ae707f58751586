build-prof/frontend/checkcfg.o: frontend/checkcfg.c frontend/checkcfg.h \
 base/arena.h base/str.h base/status.h
frontend/checkcfg.h:
base/arena.h:
base/str.h:
base/status.h:
