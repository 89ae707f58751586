FROM alpine:3.19:extra
