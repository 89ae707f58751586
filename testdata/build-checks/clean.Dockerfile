FROM scratch
COPY f /f
CMD ["/f"]
