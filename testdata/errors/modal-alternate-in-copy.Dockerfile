FROM alpine
COPY ${SRC:+x} /d/
