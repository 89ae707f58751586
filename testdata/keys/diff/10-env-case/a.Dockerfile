FROM alpine
ENV a=1
RUN x
