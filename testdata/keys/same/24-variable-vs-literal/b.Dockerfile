FROM alpine
ARG D=/app
WORKDIR /app
