FROM alpine
COPY --chmod=8755 a /b
