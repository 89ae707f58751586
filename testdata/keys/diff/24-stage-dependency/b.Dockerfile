FROM alpine AS a
RUN two
FROM alpine
RUN x
COPY --from=a /o /o
