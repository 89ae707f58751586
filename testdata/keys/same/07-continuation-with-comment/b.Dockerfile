FROM alpine
RUN a \
# note
&& b
