FROM alpine
RUN --mount=type=cache,taget=/x echo
