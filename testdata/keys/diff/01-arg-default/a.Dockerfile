FROM alpine:3.19 AS build
ARG V=1
ENV A=1 B=2
WORKDIR /src
RUN apk add --no-cache git && echo $V
COPY --chmod=0644 a.txt /src/
LABEL x=1 y=2
CMD ["sh"]
