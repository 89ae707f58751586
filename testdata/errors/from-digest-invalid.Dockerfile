FROM alpine@x:2341
