"""modal_recorder.py - runs a program `mdock ir --emit modal` wrote with a
stand-in `modal` module that records, for each modal.Image method, the
Dockerfile commands Modal's client writes for it (modal-client's
modal/image.py: FROM for from_registry, ENV name=shlex.quote(value) per
name for env, WORKDIR, RUN per command for run_commands, RUN python -m pip
install of the sorted packages for pip_install, COPY of the file's basename
or of '.' for add_local_file/add_local_dir with copy=True, ENTRYPOINT/CMD/
SHELL as JSON, the commands themselves for dockerfile_commands), and
prints them as one Dockerfile: the image the chain builds.

usage: python3 modal_recorder.py PROGRAM.py > Dockerfile
"""
import json
import os
import shlex
import sys
import types


class Image:
    def __init__(self, cmds, source=None):
        self.cmds = cmds
        self.source = source        # from_dockerfile: the file itself

    def _then(self, more):
        return Image(self.cmds + more)

    @staticmethod
    def from_registry(tag, **_):
        return Image(["FROM " + tag])

    @staticmethod
    def from_dockerfile(path, context_dir=None, **_):
        with open(path) as f:
            return Image([], source=f.read())

    def env(self, envs):
        return self._then(["ENV %s=%s" % (k, shlex.quote(v))
                           for k, v in envs.items()])

    def workdir(self, path):
        return self._then(["WORKDIR " + shlex.quote(str(path))])

    def run_commands(self, *cmds, **_):
        return self._then(["RUN " + c for c in cmds])

    def pip_install(self, *pkgs, **_):
        return self._then(["RUN python -m pip install " +
                           shlex.join(sorted(pkgs))])

    def add_local_file(self, local, remote, copy=False, **_):
        assert copy, "only copy=True writes a COPY"
        return self._then(["COPY %s %s" % (os.path.basename(local), remote)])

    def add_local_dir(self, local, remote, copy=False, **_):
        assert copy, "only copy=True writes a COPY"
        return self._then(["COPY . " + remote])

    def entrypoint(self, args):
        return self._then(["ENTRYPOINT " + json.dumps(args)])

    def cmd(self, args):
        return self._then(["CMD " + json.dumps(args)])

    def shell(self, args):
        return self._then(["SHELL " + json.dumps(args)])

    def dockerfile_commands(self, cmds, **_):
        return self._then(list(cmds))


modal = types.ModuleType("modal")
modal.Image = Image
sys.modules["modal"] = modal
scope = {}
with open(sys.argv[1]) as f:
    exec(compile(f.read(), sys.argv[1], "exec"), scope)
image = scope["image"]
if image.source is not None:
    sys.stdout.write(image.source)
else:
    sys.stdout.write("\n".join(image.cmds) + "\n")
