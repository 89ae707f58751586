FROM alpine
HEALTHCHECK --retries=3 CMD
