FROM alpine
RUN x
HEALTHCHECK --interval=5s CMD true
