build-chk/tests/test_base: tests/test_base.c base/arena.h base/jsonw.h \
 base/str.h base/status.h
base/arena.h:
base/jsonw.h:
base/str.h:
base/status.h:
