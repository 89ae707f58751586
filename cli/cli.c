/* cli.c - the command table and what every command shares: the top-level
 * help, the dispatcher, simple argument reading, the store, errors. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "runtime/runtime.h"

#define MDK_VERSION "0.1.0"

static const struct mdk_cli_cmd *const commands[] = {
  &mdk_cli_cmd_build, &mdk_cli_cmd_ir, &mdk_cli_cmd_lint, &mdk_cli_cmd_parse,
  &mdk_cli_cmd_run, &mdk_cli_cmd_images, &mdk_cli_cmd_inspect,
  &mdk_cli_cmd_history, &mdk_cli_cmd_tag, &mdk_cli_cmd_rmi,
  &mdk_cli_cmd_save, &mdk_cli_cmd_load, &mdk_cli_cmd_import,
  &mdk_cli_cmd_export, &mdk_cli_cmd_pull, &mdk_cli_cmd_push,
  &mdk_cli_cmd_login, &mdk_cli_cmd_logout, &mdk_cli_cmd_prune,
  &mdk_cli_cmd_fsck, &mdk_cli_cmd_layer, &mdk_cli_cmd_unshare,
  &mdk_cli_cmd_version, NULL
};

bool mdk_cli_color(void)
{
  return isatty(2) && !getenv("NO_COLOR");
}

int mdk_cli_fail(const struct mdk_err *e)
{
  mdk_err_print(e, stderr, mdk_cli_color());
  return 1;
}

bool mdk_cli_store_open(struct mdk_be_store *s, enum mdk_be_lock lock)
{
  struct mdk_err e;
  /* not root: into a user namespace of our own first, where the store's
   * files have the image's owners (runtime/userns.h); it never fails, and
   * what it could not do RUN says */
  (void)mdk_rt_userns_enter();
  if(mdk_be_store_open(s, NULL, lock, &e) == MDK_OK)
    return true;
  mdk_cli_fail(&e);
  return false;
}

static int on_arg(void *p, int id, const char *v)
{
  struct mdk_cli_args *args = p;
  if(id == MDK_CLI_OPERAND) {
    mdk_vec_push(&args->a, &args->operands, &v);
  }
  else if(id > 0 && id < MDK_CLI_MAX_ID) {
    args->on[id] = mdk_cli_on(v);
    args->val[id] = v;
  }
  return 0;
}

int mdk_cli_args_read(const struct mdk_cli_cmd *cmd, struct mdk_cli_args *args,
                      int argc, char **argv)
{
  memset(args, 0, sizeof(*args));
  mdk_arena_init(&args->a);
  args->operands = MDK_VEC_INIT(const char *);
  return mdk_cli_each(cmd, argc, argv, on_arg, args);
}

const char *mdk_cli_operand(const struct mdk_cli_args *args, size_t i)
{
  return *mdk_vec_at(&args->operands, const char *, i);
}

int mdk_cli_args_done(struct mdk_cli_args *args, int rc)
{
  mdk_arena_fini(&args->a);
  return rc < 0 ? 0 : rc;
}

bool mdk_cli_time_parse(const char *t, struct timespec *out)
{
  struct tm tm;
  const char *p;
  long off = 0, ns = 0, scale = 100000000;
  memset(&tm, 0, sizeof(tm));
  if(!t || !(p = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm)))
    return false;
  if(*p == '.')
    for(; *++p >= '0' && *p <= '9'; scale /= 10)
      ns += (*p - '0') * scale;
  if((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' &&
     p[2] >= '0' && p[2] <= '9' && p[3] == ':' && p[4] >= '0' &&
     p[4] <= '9' && p[5] >= '0' && p[5] <= '9') {
    off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600L +
          ((p[4] - '0') * 10 + (p[5] - '0')) * 60L;
    if(*p == '-')
      off = -off;
  }
  out->tv_sec = timegm(&tm) - off;
  out->tv_nsec = ns;
  return true;
}

void mdk_cli_time(const char *t, enum mdk_cli_time_form form, char out[48])
{
  struct tm tm;
  struct timespec ts;
  char zone[8];
  long off;
  /* whole seconds, as docker's API keeps Created */
  if(!mdk_cli_time_parse(t, &ts) || !localtime_r(&ts.tv_sec, &tm)) {
    snprintf(out, 48, "N/A");
    return;
  }
  if(form == MDK_CLI_TIME_GO_STRING) {
    strftime(out, 48, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
    return;
  }
  /* Go's RFC 3339: Z at UTC, else +hh:mm */
  off = tm.tm_gmtoff;
  if(off == 0)
    snprintf(zone, sizeof(zone), "Z");
  else
    snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+',
             labs(off) / 3600 % 100, labs(off) / 60 % 60);
  strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
  strcat(out, zone);
}

void mdk_cli_since(const char *t, char out[48])
{
  struct timespec then;
  long long secs, h;
  if(!mdk_cli_time_parse(t, &then)) {
    snprintf(out, 48, "N/A");
    return;
  }
  /* docker's: now less Created in whole seconds */
  secs = (long long)(time(NULL) - then.tv_sec);
  h = (long long)((double)secs / 3600.0 + 0.5);
  if(secs < 1)
    snprintf(out, 48, "Less than a second ago");
  else if(secs == 1)
    snprintf(out, 48, "1 second ago");
  else if(secs < 60)
    snprintf(out, 48, "%lld seconds ago", secs);
  else if(secs / 60 == 1)
    snprintf(out, 48, "About a minute ago");
  else if(secs / 60 < 60)
    snprintf(out, 48, "%lld minutes ago", secs / 60);
  else if(h == 1)
    snprintf(out, 48, "About an hour ago");
  else if(h < 48)
    snprintf(out, 48, "%lld hours ago", h);
  else if(h < 24 * 7 * 2)
    snprintf(out, 48, "%lld days ago", h / 24);
  else if(h < 24 * 30 * 2)
    snprintf(out, 48, "%lld weeks ago", h / 24 / 7);
  else if(h < 24 * 365 * 2)
    snprintf(out, 48, "%lld months ago", h / 24 / 30);
  else
    snprintf(out, 48, "%lld years ago", secs / 3600 / 24 / 365);
}

/* go-units' RAMInBytes: a number with an optional b, k, m, g, t or p
 * (powers of 1024; "mb" and "MiB" alike) */
bool mdk_cli_ram_bytes(const char *v, uint64_t *out)
{
  char *end;
  double n;
  int shift = 0;
  errno = 0;
  n = strtod(v, &end);
  if(errno || end == v || n < 0)
    return false;
  switch(*end | 0x20) {
  case 'k': shift = 10; end++; break;
  case 'm': shift = 20; end++; break;
  case 'g': shift = 30; end++; break;
  case 't': shift = 40; end++; break;
  case 'p': shift = 50; end++; break;
  default: break;
  }
  if((*end | 0x20) == 'i' && shift)
    end++;
  if((*end | 0x20) == 'b')
    end++;
  if(*end || n * (double)(1ULL << shift) > 9e18)
    return false;
  *out = (uint64_t)(n * (double)(1ULL << shift));
  return true;
}

void mdk_cli_size_prec(uint64_t bytes, int digits, char out[32])
{
  static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = (double)bytes;
  int u = 0;
  while(v >= 1000 && u < 5) {
    v /= 1000;
    u++;
  }
  snprintf(out, 32, "%.*g%s", digits, v, units[u]);
}

void mdk_cli_size(uint64_t bytes, char out[32])
{
  mdk_cli_size_prec(bytes, 3, out);
}

static void top_help(FILE *out)
{
  size_t i;
  fputs("usage: mdock <command> [options]\n\n"
        "A daemonless, Dockerfile-compatible image compiler: BuildKit's\n"
        "semantics, a typed layer IR with cache keys, a local store.\n\n"
        "commands:\n", out);
  for(i = 0; commands[i]; i++)
    if(!commands[i]->hidden)
      fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
  fputs("\nrun 'mdock <command> --help' for a command's options and "
        "examples\n", out);
}

static int run_version(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len)
    rc = mdk_cli_usage_error(cmd, "version takes no operands");
  if(!rc)
    printf("mdock %s\n", MDK_VERSION);
  return mdk_cli_args_done(&args, rc);
}

static const struct mdk_cli_opt version_opts[] = {{0}};

const struct mdk_cli_cmd mdk_cli_cmd_version = {
  "version", "", "print the version", "Prints mdock's version.",
  version_opts, NULL, NULL, run_version, false, false
};

static const struct mdk_cli_cmd *find(const char *name)
{
  size_t i;
  for(i = 0; commands[i]; i++)
    if(strcmp(commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

static int unknown_command(const char *name)
{
  const char *cands[64], *best;
  size_t i, n = 0;
  for(i = 0; commands[i] && n < 64; i++)
    if(!commands[i]->hidden)
      cands[n++] = commands[i]->name;
  best = mdk_str_suggest(mdk_str_c(name), cands, n);
  fprintf(stderr, "mdock: error: unknown command '%s'\n", name);
  if(best)
    fprintf(stderr, "hint: did you mean '%s'?\n", best);
  fprintf(stderr, "hint: run 'mdock --help' for the commands\n");
  return 2;
}

int mdk_cli_main(int argc, char **argv)
{
  const struct mdk_cli_cmd *cmd;
  if(argc < 2) {
    top_help(stderr);
    return 2;
  }
  if(strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
     strcmp(argv[1], "help") == 0) {
    /* `mdock help build` is `mdock build --help` */
    if(argc > 2 && (cmd = find(argv[2]))) {
      mdk_cli_help(cmd, stdout);
      return 0;
    }
    if(argc > 2)
      return unknown_command(argv[2]);
    top_help(stdout);
    return 0;
  }
  if(strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0)
    return run_version(&mdk_cli_cmd_version, 0, argv);
  cmd = find(argv[1]);
  if(!cmd) {
    if(argv[1][0] == '-') {
      fprintf(stderr, "mdock: error: unknown option '%s'\n"
              "hint: options go after the command: run 'mdock --help'\n",
              argv[1]);
      return 2;
    }
    return unknown_command(argv[1]);
  }
  return cmd->run(cmd, argc - 2, argv + 2);
}
