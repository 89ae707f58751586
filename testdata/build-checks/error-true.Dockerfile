# syntax=docker/dockerfile:1
# check=error=true
FROM scratch
COPY f /f
CMD echo hi
