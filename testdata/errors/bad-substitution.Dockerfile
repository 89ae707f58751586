FROM alpine
WORKDIR ${}
