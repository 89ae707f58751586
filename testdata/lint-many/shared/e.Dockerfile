FROM alpine
RUN apt-get install -y curl
