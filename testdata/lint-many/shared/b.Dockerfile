FROM alpine:3.19
COPY entry.sh /entry.sh
ENTRYPOINT ["/entry.sh"]
