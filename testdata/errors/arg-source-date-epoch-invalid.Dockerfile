ARG SOURCE_DATE_EPOCH=not-a-number
FROM scratch
COPY a /
