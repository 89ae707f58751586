FROM alpine AS Build
RUN x
FROM alpine
COPY --from=build /a /b
