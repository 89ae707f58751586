/* cmd_run.c - mdock run IMAGE [CMD...]: the image's ENTRYPOINT/CMD with its
 * ENV, USER and WORKDIR, in the same runtime as RUN; --check-entrypoint
 * proves whether Modal's command would run. */
#include "cli/commands.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { O_RM = 1, O_CHECK };

static const struct mdk_cli_opt opts[] = {
  {O_RM, "rm", 0, MDK_ARG_NONE, NULL, NULL,
   "accepted for docker's sake: mdock keeps no\ncontainers"},
  {O_CHECK, "check-entrypoint", 0, MDK_ARG_NONE, NULL, NULL,
   "does the ENTRYPOINT run the command it is given\n(Modal appends its "
   "own)?  exit 0 yes, 1 no"},
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
  rc = mdk_be_run_image(s, a, im, sent, 3, work, fd, -1, -1, &code, &e);
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

static int run_image(struct mdk_be_store *s, struct mdk_arena *a,
                     const char *image, bool check, int argc, char **argv)
{
  struct mdk_be_image im;
  struct mdk_err e;
  char tmpdir[4200], name[4300], *work;
  int code = 0, rc;
  if(mdk_be_image_resolve(s, a, image, &im, &e))
    return mdk_cli_fail(&e);
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", s->root);
  work = mdk_temp_name(name, sizeof(name), tmpdir, "run");
  if(mkdir(work, 0700)) {
    mdk_be_image_free(&im);
    fprintf(stderr, "mdock: error: cannot create %s\n", work);
    return 1;
  }
  if(check) {
    rc = check_entrypoint(s, a, &im, work);
  }
  else {
    rc = mdk_be_run_image(s, a, &im, (const char *const *)argv,
                          (size_t)argc, work, 1, 2, 0, &code, &e);
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
  const char *v, *image = NULL;
  bool check = false;
  char **rest;
  int id, nrest, rc;
  mdk_cli_parser_init(&p, cmd, argc, argv);
  while(!image && (id = mdk_cli_next(&p, &v)) != MDK_CLI_END) {
    if(id == MDK_CLI_HELP)
      return 0;
    if(id == MDK_CLI_ERROR)
      return 2;
    if(id == O_CHECK)
      check = mdk_cli_on(v);
    else if(id == MDK_CLI_OPERAND)
      image = v;
  }
  if(!image)
    return mdk_cli_usage_error(cmd, "no image given");
  nrest = mdk_cli_rest(&p, &rest);
  if(check && nrest)
    return mdk_cli_usage_error(cmd, "--check-entrypoint runs its own "
                               "command, not '%s'", rest[0]);
  if(!mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    return 1;
  mdk_arena_init(&a);
  rc = run_image(&s, &a, image, check, nrest, rest);
  mdk_arena_fini(&a);
  mdk_be_store_close(&s);
  return rc;
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
  "  mdock run --check-entrypoint app\n",
  "exit status: the command's; 125 when it could not be run\n",
  run, true, false
};
