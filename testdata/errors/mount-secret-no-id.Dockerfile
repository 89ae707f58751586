FROM alpine
RUN --mount=type=secret cat /run/secrets/x
