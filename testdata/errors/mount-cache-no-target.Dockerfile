FROM alpine
RUN --mount=type=cache echo
