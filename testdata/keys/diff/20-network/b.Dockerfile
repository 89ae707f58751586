FROM alpine
ENV A=1
RUN --network=none x
