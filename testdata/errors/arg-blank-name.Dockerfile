FROM alpine
ARG =x
