FROM busybox
VOLUME ""
