FROM alpine
RUN --mount=type=cache,target=/d x
