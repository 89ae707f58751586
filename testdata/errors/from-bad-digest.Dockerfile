FROM alpine@sha256:1234
