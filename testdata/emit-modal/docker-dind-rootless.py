# real/docker-library__docker/29__dind-rootless__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

image = (
    modal.Image.from_registry("docker:29-dind")
    .run_commands(
        "apk add --no-cache iproute2 fuse-overlayfs slirp4netns",
        "mkdir /run/user && chmod 1777 /run/user",
        "set -eux; \tadduser -h /home/rootless -g 'Rootless' -D -u 1000 rootless; \techo 'rootless:100000:65536' >> /etc/subuid; \techo 'rootless:100000:65536' >> /etc/subgid",
        "set -eux; \t\tapkArch=\"$(apk --print-arch)\"; \tcase \"$apkArch\" in \t\t'x86_64') \t\t\turl='https://download.docker.com/linux/static/stable/x86_64/docker-rootless-extras-29.7.2.tgz'; \t\t\t;; \t\t'aarch64') \t\t\turl='https://download.docker.com/linux/static/stable/aarch64/docker-rootless-extras-29.7.2.tgz'; \t\t\t;; \t\t*) echo >&2 \"error: unsupported 'rootless.tgz' architecture ($apkArch)\"; exit 1 ;; \tesac; \t\twget -O 'rootless.tgz' \"$url\"; \t\ttar --extract \t\t--file rootless.tgz \t\t--strip-components 1 \t\t--directory /usr/local/bin/ \t\t'docker-rootless-extras/rootlesskit' \t; \trm rootless.tgz; \t\trootlesskit --version",
        "set -eux; \tmkdir -p /home/rootless/.local/share/docker; \tchown -R rootless:rootless /home/rootless/.local/share/docker",
    )
    # MDM019 (line 53): VOLUME: Modal's builder does not implement it (it has no effect there)
    .dockerfile_commands([
        "VOLUME /home/rootless/.local/share/docker",
        "USER rootless",
    ])
)
