build-chk/tests/mktar: tests/mktar.c
