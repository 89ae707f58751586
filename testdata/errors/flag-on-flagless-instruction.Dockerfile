FROM alpine
WORKDIR --x=1 /app
