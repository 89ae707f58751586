FROM alpine
COPY --from=0 /x /y
