# testdata/emit-modal/ctx/Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

image = (
    modal.Image.from_registry("python:3.12-slim")
    .env({"PYTHONUNBUFFERED": "1"})
    .workdir("/srv")
    .shell(["/bin/bash", "-o", "pipefail", "-c"])
    .pip_install("flask", "gunicorn")
    .run_commands(
        "apt-get update && apt-get install -y --no-install-recommends curl     && rm -rf /var/lib/apt/lists/*",
        "echo one",
        "echo two",
    )
    .add_local_file("requirements.txt", "/srv/requirements.txt", copy=True)
    .add_local_file("src/main.py", "/srv/main.py", copy=True)
    .add_local_dir("app", "/srv/app", copy=True)
    .add_local_dir(".", "/srv/all", copy=True)
    .dockerfile_commands([
        "ENV A=1 B=2",
        "LABEL org.opencontainers.image.title=demo",
        "EXPOSE 8000",
        "USER 1000",
    ])
    .entrypoint(["/usr/bin/env"])
    .cmd(["gunicorn", "main:app"])
)
