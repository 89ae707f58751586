build-chk/base/sha256.o: base/sha256.c base/sha256.h base/crypto_dl.h
base/sha256.h:
base/crypto_dl.h:
