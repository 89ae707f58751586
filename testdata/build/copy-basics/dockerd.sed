# heredocs (Dockerfile 1.4) are beyond dockerd 20.10's frontend
/^COPY <</,$d
