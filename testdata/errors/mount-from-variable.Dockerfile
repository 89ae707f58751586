FROM alpine
RUN --mount=from=$S,target=/x echo
