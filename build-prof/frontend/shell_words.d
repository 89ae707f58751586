build-prof/frontend/shell_words.o: frontend/shell_words.c \
 frontend/shell_words.h base/arena.h base/str.h base/status.h
frontend/shell_words.h:
base/arena.h:
base/str.h:
base/status.h:
