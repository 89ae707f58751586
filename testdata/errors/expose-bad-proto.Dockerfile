FROM alpine
EXPOSE 53/dns
