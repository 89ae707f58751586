# check=error=maybe
FROM alpine
