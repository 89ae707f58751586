FROM alpine
COPY --chmodd=755 a /b
