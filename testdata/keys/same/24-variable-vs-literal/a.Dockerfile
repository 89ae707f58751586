FROM alpine
ARG D=/app
WORKDIR $D
