# RUN --mount=type=secret,env= (Dockerfile 1.10) is beyond dockerd 20.10's frontend
/env=TOKEN/d
