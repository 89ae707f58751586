FROM alpine
COPY --chmod=0644 --chown=1 a /b
