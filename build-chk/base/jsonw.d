build-chk/base/jsonw.o: base/jsonw.c base/jsonw.h base/str.h base/arena.h \
 base/status.h base/utf8.h
base/jsonw.h:
base/str.h:
base/arena.h:
base/status.h:
base/utf8.h:
