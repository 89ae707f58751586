FROM alpine
COPY <<A <<B /d/
a
A
b
