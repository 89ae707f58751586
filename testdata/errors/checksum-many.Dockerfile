FROM alpine
ADD --checksum=sha256:abc https://x/a https://x/b /d/
