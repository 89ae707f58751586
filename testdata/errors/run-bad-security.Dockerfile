FROM alpine
RUN --security=privileged echo
