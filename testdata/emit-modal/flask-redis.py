# real/docker__awesome-compose/flask-redis__Dockerfile as a modal.Image chain (mdock ir --emit modal): each method writes
# the Dockerfile instruction it stands for.
import modal

# a multi-stage Dockerfile: Modal's methods build one image on another and have no
# stages, so Modal builds the file itself (its last stage).
# MDM020 (line 12): ENTRYPOINT runs python3: Modal appends its own command to the ENTRYPOINT, which python3 would take as arguments; put it in CMD, or run it from a script that ends with exec "$@"
image = modal.Image.from_dockerfile("real/docker__awesome-compose/flask-redis__Dockerfile", context_dir=".")
