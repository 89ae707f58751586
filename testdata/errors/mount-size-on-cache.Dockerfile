FROM alpine
RUN --mount=type=cache,target=/c,size=64m echo
