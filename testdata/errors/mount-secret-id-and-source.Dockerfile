FROM alpine
RUN --mount=type=secret,id=a,source=b echo
