FROM alpine
ARG V=abc
ENV X=${V#\d}
