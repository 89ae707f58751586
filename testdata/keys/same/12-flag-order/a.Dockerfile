FROM alpine
COPY --chown=1 --chmod=0644 a /b
