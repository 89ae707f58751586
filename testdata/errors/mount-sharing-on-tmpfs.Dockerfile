FROM alpine
RUN --mount=type=tmpfs,sharing=locked,target=/x echo
