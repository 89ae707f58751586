FROM alpine
RUN --mount=type=bind,foo echo
