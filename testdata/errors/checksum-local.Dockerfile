FROM alpine
ADD --checksum=sha256:abc ./a /b
