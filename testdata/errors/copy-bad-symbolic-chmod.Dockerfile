FROM alpine
COPY --chmod=u=rwq a /b
