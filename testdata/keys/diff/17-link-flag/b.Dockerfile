FROM alpine
RUN x
COPY --link a /b
