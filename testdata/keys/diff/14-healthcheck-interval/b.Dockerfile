FROM alpine
RUN x
HEALTHCHECK --interval=6s CMD true
