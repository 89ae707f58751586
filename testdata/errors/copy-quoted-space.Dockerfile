FROM alpine
COPY "my file" /d/
