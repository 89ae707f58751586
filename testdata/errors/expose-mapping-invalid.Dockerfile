FROM busybox
# the part before the host port must be an IP (go-connections ParsePortSpec)
EXPOSE 8080::8089
EXPOSE foo:80:80
EXPOSE x:80
