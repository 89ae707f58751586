FROM alpine AS Build
FROM busybox
# not a stage, so an image reference, checked as BuildKit parses it
COPY --from=^ /a /a
COPY --from=Alpine:3 /b /b
RUN --mount=from=Bad:1,target=/m true
# fine: a stage in another case, an index, an image
COPY --from=BUILD /c /c
COPY --from=0 /d /d
COPY --from=debian:12 /e /e
