build-chk/tests/fault_proxy: tests/fault_proxy.c
