FROM alpine AS build
RUN x
FROM alpine
COPY --from=BUILD /a /b
