FROM alpine
ARG V=abc
LABEL x=${V/a}
