FROM alpine FOR build
