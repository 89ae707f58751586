FROM alpine
ARG S=build
COPY --from=$S /a /b
