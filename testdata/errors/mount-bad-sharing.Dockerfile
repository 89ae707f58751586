FROM alpine
RUN --mount=type=cache,sharing=all,target=/x echo
