FROM alpine:3.19
COPY missing.sh /m.sh
ENTRYPOINT ["/m.sh"]
