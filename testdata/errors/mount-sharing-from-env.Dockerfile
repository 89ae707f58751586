FROM alpine AS base
ENV S=everyone
FROM base
RUN --mount=type=cache,target=/c,sharing=$S echo
