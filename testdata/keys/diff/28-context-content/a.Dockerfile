FROM alpine
RUN before
COPY src/ /src/
RUN after
