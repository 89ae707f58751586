/* cmd_run.c - mdock run IMAGE [CMD...]: the image's ENTRYPOINT/CMD with its
 * ENV, USER and WORKDIR, in the same runtime as RUN; --check-entrypoint
 * proves whether Modal's command would run. */
#include "cli/commands.h"
#include "cli/tty_relay.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_RM = 1, O_CHECK, O_ENV, O_ENV_FILE, O_WORKDIR, O_USER,
       O_ENTRYPOINT, O_VOLUME, O_NETWORK, O_NAME, O_HOSTNAME, O_INTERACTIVE,
       O_TTY, O_PLATFORM };

static const struct mdk_cli_opt opts[] = {
  {O_RM, "rm", 0, MDK_ARG_NONE, NULL, NULL,
   "accepted for docker's sake: mdock keeps no\ncontainers"},
  {O_CHECK, "check-entrypoint", 0, MDK_ARG_NONE, NULL, NULL,
   "does the ENTRYPOINT run the command it is given\n(Modal appends its "
   "own)?  exit 0 yes, 1 no"},
  {O_ENV, "env", 'e', MDK_ARG_VALUE, "K[=V]", NULL,
   "set K (V from mdock's environment when omitted;\nrepeatable)"},
  {O_ENV_FILE, "env-file", 0, MDK_ARG_VALUE, "FILE", NULL,
   "K=V lines (# comments) to set"},
  {O_WORKDIR, "workdir", 'w', MDK_ARG_VALUE, "DIR", NULL,
   "the working directory"},
  {O_USER, "user", 'u', MDK_ARG_VALUE, "USER[:GROUP]", NULL,
   "run as this user (names from the image)"},
  {O_ENTRYPOINT, "entrypoint", 0, MDK_ARG_VALUE, "CMD", NULL,
   "replace the ENTRYPOINT (\"\" for none; the image's\nCMD is dropped, "
   "as docker's)"},
  {O_VOLUME, "volume", 'v', MDK_ARG_VALUE, "/HOST:/PATH[:ro]", NULL,
   "bind a host path in (repeatable)"},
  {O_NETWORK, "network", 0, MDK_ARG_VALUE, NULL, "default|host|none",
   "a namespace of its own with slirp4netns's way out\n(default; the host's loopback is\nhost.containers.internal), the host's, or none\n(loopback only)"},
  {O_NAME, "name", 0, MDK_ARG_VALUE, "NAME", NULL,
   "the run's hostname (mdock keeps no containers to\nname)"},
  {O_HOSTNAME, "hostname", 0, MDK_ARG_VALUE, "NAME", NULL,
   "the hostname inside"},
  {O_TTY, "tty", 't', MDK_ARG_NONE, NULL, NULL,
   "give the command a pseudo-terminal (-it: an\ninteractive shell)"},
  {O_INTERACTIVE, "interactive", 'i', MDK_ARG_NONE, NULL, NULL,
   "keep stdin open (without it stdin is empty)"},
  {O_PLATFORM, "platform", 0, MDK_ARG_VALUE, "OS/ARCH[/VARIANT]", NULL,
   "of a multi-platform image, this platform's (QEMU\nemulation when it is "
   "not this machine's)"},
  {0}
};

/* Modal appends its own command to the ENTRYPOINT: a script that does not
 * exec "$@" never runs it.  A sentinel proves it either way. */
static int check_entrypoint(struct mdk_be_store *s, struct mdk_arena *a,
                            const struct mdk_be_image *im, const char *work)
{
  char token[64], buf[8192] = {0}, *outp = mdk_arena_printf(a, "%s/out",
                                                            work);
  const char *sent[3];
  struct mdk_err e;
  FILE *f;
  int fd, code = 0, rc;
  snprintf(token, sizeof(token), "mdock-sentinel-%ld", (long)getpid());
  sent[0] = "/bin/sh";
  sent[1] = "-c";
  /* the output joins what the command line keeps apart, so an entrypoint
   * that merely echoes its arguments does not pass */
  sent[2] = mdk_arena_printf(a, "printf '%%s%%s\\n' %.8s %s", token,
                             token + 8);
  fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  {
    struct mdk_be_run_opts ro = {0};
    ro.cmd = sent;
    ro.ncmd = 3;
    ro.out_fd = fd;
    ro.err_fd = -1;
    ro.in_fd = -1;
    rc = mdk_be_run_image(s, a, im, &ro, work, &code, &e);
  }
  close(fd);
  if(rc)
    return mdk_cli_fail(&e);
  f = fopen(outp, "r");
  if(f) {
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
  }
  if(strstr(buf, token)) {
    printf("ok: the entrypoint runs the command it is given (exit %d)\n",
           code);
    return 0;
  }
  printf("FAIL: the entrypoint never ran the command it was given (exit %d): "
         "Modal's command would be ignored; end the script with exec "
         "\"$@\"\n", code);
  return 1;
}

struct run_opts {
  struct mdk_arena *a;
  struct mdk_be_run_opts ro;
  struct mdk_vec env, volumes;  /* const char * */
  const char *image;
  const char *platform;
  bool check, interactive, tty;
};

/* --env-file: K=V lines; blank lines and # comments skipped; K alone takes
 * mdock's own value, as docker's */
static int env_file(const struct mdk_cli_cmd *cmd, struct run_opts *o,
                    const char *path)
{
  size_t len = 0;
  char *text = mdk_read_small(path, 1 << 20, &len), *line, *sv = NULL;
  if(!text)
    return mdk_cli_usage_error(cmd, "--env-file %s cannot be read", path);
  for(line = strtok_r(text, "\n", &sv); line; line = strtok_r(NULL, "\n", &sv)) {
    const char *kv;
    line[strcspn(line, "\r")] = '\0';
    while(*line == ' ' || *line == '\t')
      line++;
    if(!*line || *line == '#')
      continue;
    kv = strchr(line, '=') ? mdk_arena_printf(o->a, "%s", line)
                           : getenv(line)
                               ? mdk_arena_printf(o->a, "%s=%s", line,
                                                  getenv(line))
                               : NULL;
    if(kv)
      mdk_vec_push(o->a, &o->env, &kv);
  }
  free(text);
  return 0;
}

static int on_opt(const struct mdk_cli_cmd *cmd, struct run_opts *o, int id,
                  const char *v)
{
  switch(id) {
  case O_CHECK: o->check = mdk_cli_on(v); break;
  case O_ENV:
    if(!strchr(v, '=')) {
      /* -e K: mdock's own value, or nothing when it has none */
      if(!getenv(v))
        break;
      v = mdk_arena_printf(o->a, "%s=%s", v, getenv(v));
    }
    mdk_vec_push(o->a, &o->env, &v);
    break;
  case O_ENV_FILE: return env_file(cmd, o, v);
  case O_WORKDIR: o->ro.workdir = v; break;
  case O_USER: o->ro.user = v; break;
  case O_ENTRYPOINT: o->ro.entrypoint = v; break;
  case O_VOLUME: mdk_vec_push(o->a, &o->volumes, &v); break;
  case O_NETWORK: o->ro.network = v; break;
  case O_NAME:
  case O_HOSTNAME: o->ro.hostname = v; break;
  case O_INTERACTIVE: o->interactive = mdk_cli_on(v); break;
  case O_TTY: o->tty = mdk_cli_on(v); break;
  case O_PLATFORM: o->platform = v; break;
  }
  return 0;
}

static int run_image(struct mdk_be_store *s, struct run_opts *o, int argc,
                     char **argv)
{
  struct mdk_be_image im;
  struct mdk_err e;
  struct mdk_tty_relay tty;
  char tmpdir[4200], name[4300], *work;
  int code = 0, rc;
  struct mdk_platform p;
  if(o->platform && !mdk_platform_parse(o->platform, &p)) {
    fprintf(stderr, "mdock: error: invalid platform '%s': write OS/ARCH or "
            "OS/ARCH/VARIANT, e.g. linux/arm64\n", o->platform);
    return 125;
  }
  if(mdk_be_image_resolve_for(s, o->a, o->image, o->platform ? &p : NULL,
                              &im, &e))
    return (mdk_cli_fail(&e), 125);
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", s->root);
  work = mdk_temp_name(name, sizeof(name), tmpdir, "run");
  if(mkdir(work, 0700)) {
    mdk_be_image_free(&im);
    fprintf(stderr, "mdock: error: cannot create %s\n", work);
    return 125;
  }
  if(o->check) {
    rc = check_entrypoint(s, o->a, &im, work);
  }
  else {
    o->ro.cmd = (const char *const *)argv;
    o->ro.ncmd = (size_t)argc;
    o->ro.env = o->env.items;
    o->ro.nenv = o->env.len;
    o->ro.volumes = o->volumes.items;
    o->ro.nvolumes = o->volumes.len;
    o->ro.out_fd = 1;
    o->ro.err_fd = 2;
    o->ro.in_fd = o->interactive ? 0 : -1;
    if(o->tty) {
      char why[200];
      if(!mdk_tty_open(&tty, o->interactive, why, sizeof(why))) {
        fprintf(stderr, "mdock: error: %s\n", why);
        mdk_rmtree(work);
        mdk_be_image_free(&im);
        return 125;
      }
      o->ro.in_fd = o->ro.out_fd = o->ro.err_fd = tty.slave;
      o->ro.tty = true;
      mdk_tty_start(&tty);
    }
    rc = mdk_be_run_image(s, o->a, &im, &o->ro, work, &code, &e);
    if(o->tty)
      mdk_tty_finish(&tty);
    /* 125: docker run's "the run itself failed" */
    rc = rc ? (mdk_cli_fail(&e), 125) : code;
  }
  mdk_rmtree(work);
  mdk_be_image_free(&im);
  return rc;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_parser p;
  struct mdk_be_store s;
  struct mdk_arena a;
  struct run_opts o;
  const char *v;
  char **rest;
  int id, nrest, rc = 0;
  mdk_arena_init(&a);
  memset(&o, 0, sizeof(o));
  o.a = &a;
  o.env = MDK_VEC_INIT(const char *);
  o.volumes = MDK_VEC_INIT(const char *);
  mdk_cli_parser_init(&p, cmd, argc, argv);
  while(!rc && !o.image && (id = mdk_cli_next(&p, &v)) != MDK_CLI_END) {
    if(id == MDK_CLI_HELP)
      rc = -1;
    else if(id == MDK_CLI_ERROR)
      rc = 2;
    else if(id == MDK_CLI_OPERAND)
      o.image = v;
    else
      rc = on_opt(cmd, &o, id, v);
  }
  if(!rc && !o.image)
    rc = mdk_cli_usage_error(cmd, "no image given");
  nrest = mdk_cli_rest(&p, &rest);
  if(!rc && o.check && nrest)
    rc = mdk_cli_usage_error(cmd, "--check-entrypoint runs its own "
                             "command, not '%s'", rest[0]);
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 125;
  if(!rc) {
    rc = run_image(&s, &o, nrest, rest);
    mdk_be_store_close(&s);
  }
  mdk_arena_fini(&a);
  return rc < 0 ? 0 : rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_run = {
  "run", "[options] IMAGE [COMMAND [ARG...]]",
  "run an image's ENTRYPOINT/CMD (or COMMAND)",
  "Runs a stored image as docker run would: ENTRYPOINT and CMD (COMMAND\n"
  "replaces CMD), with the image's ENV, USER and WORKDIR, in the runtime\n"
  "RUN steps use.  Options end at IMAGE.",
  opts,
  "  mdock run app\n"
  "  mdock run app ls -l /srv\n"
  "  mdock run -e MODE=dev -w /srv -u nobody -v $PWD/data:/data:ro app\n"
  "  mdock run --check-entrypoint app\n",
  "exit status: the command's; 125 when mdock could not run it, 126 when\n"
  "the command is not runnable, 127 when it is not found (docker's); 2\n"
  "for a usage error\n",
  run, true, false
};
