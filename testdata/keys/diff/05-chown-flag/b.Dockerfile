FROM alpine
RUN x
COPY --chown=1:1 a /b
