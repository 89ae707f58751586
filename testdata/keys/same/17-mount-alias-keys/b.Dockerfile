FROM alpine
RUN --mount=type=bind,src=a,dst=/a x
