FROM scratch AS Base
COPY f /f
CMD echo hi
