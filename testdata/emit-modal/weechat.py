# real/jessfraz__dockerfiles/weechat__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

image = (
    modal.Image.from_registry("alpine:latest")
    .run_commands(
        "apk add --no-cache \tweechat \tweechat-perl \tweechat-python \tpython",
    )
    .dockerfile_commands([
        "ARG RUNTIME_UID",
    ])
    # MDM009 (line 18): Modal does not support default values in interpolation: ${UID:-1000} (use plain ${UID} and give it a default with ARG UID=<default>)
    .dockerfile_commands([
        "ENV RUNTIME_UID ${UID:-1000}",
        "ENV HOME /home/user",
    ])
    .run_commands(
        "adduser -D user -u ${RUNTIME_UID} \t&& chown -R user $HOME",
    )
    .dockerfile_commands([
        "WORKDIR $HOME",
        "USER user",
    ])
    .entrypoint(["weechat"])
)
