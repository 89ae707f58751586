FROM alpine
RUN x
COPY a /b
