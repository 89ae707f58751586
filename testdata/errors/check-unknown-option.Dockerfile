# check=skip=A;strict=true
FROM alpine
