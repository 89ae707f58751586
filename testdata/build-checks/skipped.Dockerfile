# check=error=true;skip=JSONArgsRecommended
FROM scratch
COPY f /f
CMD echo hi
