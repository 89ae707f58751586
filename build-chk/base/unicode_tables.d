build-chk/base/unicode_tables.o: base/unicode_tables.c base/utf8.h
base/utf8.h:
