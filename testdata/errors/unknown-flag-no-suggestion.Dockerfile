FROM alpine
RUN --zzzzzz echo
