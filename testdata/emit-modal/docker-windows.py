# real/docker-library__docker/29__windows__windowsservercore-ltsc2022__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

image = (
    modal.Image.from_registry("mcr.microsoft.com/windows/servercore:ltsc2022")
    .shell(["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"])
    .run_commands(
        "$newPath = ('{0}\\docker;{1}' -f $env:ProgramFiles, $env:PATH); \tWrite-Host ('Updating PATH: {0}' -f $newPath); \t[Environment]::SetEnvironmentVariable('PATH', $newPath, [EnvironmentVariableTarget]::Machine);",
    )
    .dockerfile_commands([
        "ENV DOCKER_VERSION 29.7.2",
        "ENV DOCKER_URL https://download.docker.com/win/static/stable/x86_64/docker-29.7.2.zip",
    ])
    .run_commands(
        "Write-Host ('Downloading {0} ...' -f $env:DOCKER_URL); \tInvoke-WebRequest -Uri $env:DOCKER_URL -OutFile 'docker.zip'; \t\tWrite-Host 'Expanding ...'; \tExpand-Archive docker.zip -DestinationPath $env:ProgramFiles; \t\tWrite-Host 'Removing ...'; \tRemove-Item @( \t\t\t'docker.zip', \t\t\t('{0}\\docker\\dockerd.exe' -f $env:ProgramFiles) \t\t) -Force; \t\tWrite-Host 'Verifying install (\"docker --version\") ...'; \tdocker --version; \t\tWrite-Host 'Complete.';",
    )
    .dockerfile_commands([
        "ENV DOCKER_BUILDX_VERSION 0.36.1",
        "ENV DOCKER_BUILDX_URL https://github.com/docker/buildx/releases/download/v0.36.1/buildx-v0.36.1.windows-amd64.exe",
        "ENV DOCKER_BUILDX_SHA256 cd7d06a00d924b5800d2654b507afe100378a4685fcec6585eeadc599a527330",
    ])
    .run_commands(
        "$dir = ('{0}\\docker\\cli-plugins' -f $env:ProgramFiles); \tWrite-Host ('Creating {0} ...' -f $dir); \tNew-Item -ItemType Directory $dir -Force; \t\t$plugin = ('{0}\\docker-buildx.exe' -f $dir); \tWrite-Host ('Downloading {0} ...' -f $env:DOCKER_BUILDX_URL); \tInvoke-WebRequest -Uri $env:DOCKER_BUILDX_URL -OutFile $plugin; \t\tWrite-Host ('Verifying sha256 ({0}) ...' -f $env:DOCKER_BUILDX_SHA256); \tif ((Get-FileHash $plugin -Algorithm sha256).Hash -ne $env:DOCKER_BUILDX_SHA256) { \t\tWrite-Host 'FAILED!'; \t\texit 1; \t}; \t\tWrite-Host 'Verifying install (\"docker buildx version\") ...'; \tdocker buildx version; \t\tWrite-Host 'Complete.';",
    )
    .dockerfile_commands([
        "ENV DOCKER_COMPOSE_VERSION 5.4.0",
        "ENV DOCKER_COMPOSE_URL https://github.com/docker/compose/releases/download/v5.4.0/docker-compose-windows-x86_64.exe",
        "ENV DOCKER_COMPOSE_SHA256 d51bc731b3ff6f062a26e8fdfd391ae98aeab516432f097c66d39c1c9d06680e",
    ])
    .run_commands(
        "$dir = ('{0}\\docker\\cli-plugins' -f $env:ProgramFiles); \tWrite-Host ('Creating {0} ...' -f $dir); \tNew-Item -ItemType Directory $dir -Force; \t\t$plugin = ('{0}\\docker-compose.exe' -f $dir); \tWrite-Host ('Downloading {0} ...' -f $env:DOCKER_COMPOSE_URL); \tInvoke-WebRequest -Uri $env:DOCKER_COMPOSE_URL -OutFile $plugin; \t\tWrite-Host ('Verifying sha256 ({0}) ...' -f $env:DOCKER_COMPOSE_SHA256); \tif ((Get-FileHash $plugin -Algorithm sha256).Hash -ne $env:DOCKER_COMPOSE_SHA256) { \t\tWrite-Host 'FAILED!'; \t\texit 1; \t}; \t\tWrite-Host 'Verifying install (\"docker compose version\") ...'; \tdocker compose version; \t\t$link = ('{0}\\docker\\docker-compose.exe' -f $env:ProgramFiles); \tWrite-Host ('Linking {0} to {1} ...' -f $plugin, $link); \tNew-Item -ItemType SymbolicLink -Path $link -Target $plugin; \t\tWrite-Host 'Verifying install (\"docker-compose --version\") ...'; \tdocker-compose --version; \t\tWrite-Host 'Complete.';",
    )
)
