FROM alpine
RUN before
COPY run.sh /usr/local/bin/
RUN after
