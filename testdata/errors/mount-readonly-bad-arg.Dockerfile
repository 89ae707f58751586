FROM alpine
ARG R=yes
RUN --mount=type=bind,ro=$R,target=/x echo
