FROM alpine
COPY ["a", {"b": 1}]
