FROM alpine
ENV A=1
RUN x
