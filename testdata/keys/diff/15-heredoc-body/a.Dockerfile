FROM alpine
RUN x
COPY <<EOF /f
hello
EOF
