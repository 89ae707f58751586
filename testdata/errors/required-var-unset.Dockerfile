FROM alpine
USER ${NAME:?set NAME}
