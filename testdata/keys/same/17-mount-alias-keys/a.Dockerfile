FROM alpine
RUN --mount=type=bind,source=a,target=/a x
