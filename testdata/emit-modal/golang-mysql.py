# real/docker__awesome-compose/nginx-golang-mysql__backend__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

# a multi-stage Dockerfile: Modal's methods build one image on another and have no
# stages, so Modal builds the file itself (its last stage).
# MDM013 (line 22): stage 1 is not used by the last stage: Modal has no --target and builds the last one
image = modal.Image.from_dockerfile("real/docker__awesome-compose/nginx-golang-mysql__backend__Dockerfile", context_dir=".")
