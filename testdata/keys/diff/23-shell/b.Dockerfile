FROM alpine
ENV A=1
SHELL ["/bin/bash", "-c"]
RUN x
