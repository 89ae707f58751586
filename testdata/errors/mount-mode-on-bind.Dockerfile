FROM alpine
RUN --mount=type=bind,mode=0755,target=/x echo
