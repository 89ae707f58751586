build-chk/registry/curl_dl.o: registry/curl_dl.c registry/curl_dl.h
registry/curl_dl.h:
