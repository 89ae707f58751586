FROM alpine
ENV A=1
ENV B=2
RUN x
