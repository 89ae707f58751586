build-prof/base/sha256.o: base/sha256.c base/sha256.h
base/sha256.h:
