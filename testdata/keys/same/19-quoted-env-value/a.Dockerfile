FROM alpine
ENV A="x y"
