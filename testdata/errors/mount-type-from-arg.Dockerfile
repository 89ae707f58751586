FROM alpine
ARG T=cahce
RUN --mount=type=$T,target=/x echo
