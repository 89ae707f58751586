FROM alpine AS a
RUN one
FROM alpine
RUN x
COPY --from=a /o /o
