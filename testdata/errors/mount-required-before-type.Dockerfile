FROM alpine
RUN --mount=required,type=secret,id=tok cat /run/secrets/tok
