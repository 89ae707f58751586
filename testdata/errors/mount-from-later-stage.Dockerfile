FROM alpine
RUN --mount=from=later,target=/x echo
FROM alpine AS later
