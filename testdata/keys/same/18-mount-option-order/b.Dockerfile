FROM alpine
RUN --mount=sharing=locked,target=/c,type=cache x
