build-chk/base/crypto_dl.o: base/crypto_dl.c base/crypto_dl.h
base/crypto_dl.h:
