FROM alpine
WORKDIR /a/./b/
RUN x
