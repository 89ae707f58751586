FROM alpine
RUN x
COPY . /b
