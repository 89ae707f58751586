# real/docker__awesome-compose/angular__angular__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

# a multi-stage Dockerfile: Modal's methods build one image on another and have no
# stages, so Modal builds the file itself (its last stage).
image = modal.Image.from_dockerfile("real/docker__awesome-compose/angular__angular__Dockerfile", context_dir=".")
