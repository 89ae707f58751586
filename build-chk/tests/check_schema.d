build-chk/tests/check_schema: tests/check_schema.c
