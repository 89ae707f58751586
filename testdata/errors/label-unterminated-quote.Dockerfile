FROM alpine
LABEL a="unterminated
