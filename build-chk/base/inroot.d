build-chk/base/inroot.o: base/inroot.c base/inroot.h
base/inroot.h:
