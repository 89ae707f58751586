/* cmd_build.c - mdock build: a Dockerfile (or a dockerfile_commands list)
 * into an image in the local store, no daemon; then tags, pushes, cache
 * exports and outputs. */
#include "cli/commands.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/build_checks.h"
#include "cli/pipeline.h"
#include "runtime/runtime.h"
#include "cli/lockfile.h"
#include "cli/stdin_context.h"
#include "lint/lint.h"
#include "runtime/runtime.h"

enum { O_TAG = 1, O_OUTPUT, O_COMPRESSION, O_PUSH, O_PULL, O_LOCK, O_LOCKED,
       O_INSECURE, O_CACHE_TO, O_CACHE_FROM, O_NO_CACHE, O_NO_CACHE_FILTER,
       O_CONTEXT_FILE, O_SECRET, O_ALLOW, O_RUNTIME, O_PROGRESS, O_QUIET,
       O_IIDFILE, O_LABEL, O_NETWORK, O_ADD_HOST, O_METADATA, O_SSH,
       O_BUILD_CONTEXT, O_RM, O_FORCE_RM, O_LOAD, O_SECRET_ENV, O_CHECK,
       O_CALL, O_PROVENANCE, O_SBOM, O_ATTEST, O_BUILDER, O_SHM_SIZE,
       O_ULIMIT };

static const struct mdk_cli_opt opts[] = {
  MDK_IN_OPT_FILE("the Dockerfile (default CONTEXT/Dockerfile)"),
  {O_TAG, "tag", 't', MDK_ARG_VALUE, "NAME[:TAG]", NULL,
   "tag the image in the store (repeatable)"},
  {O_OUTPUT, "output", 'o', MDK_ARG_VALUE, "type=T,dest=D", NULL,
   "also write it out: oci (layout dir), oci-archive,\ndocker-archive "
   "(docker load), local (the root\nfilesystem)"},
  MDK_IN_OPT_TARGET,
  MDK_IN_OPT_BUILD_ARG,
  {MDK_IN_SECRET_BUILD_ARG, "secret-build-arg", 0, MDK_ARG_VALUE, "K[=V]",
   NULL, "a build argument RUN sees but no history,\nprogress line or config "
   "holds (ENV or LABEL of it\nis an error)"},
  MDK_IN_OPT_PLATFORM,
  MDK_IN_OPT_DIALECT("modal: build only what Modal's builder accepts\n(fails "
                     "early with the lint finding)"),
  {O_COMPRESSION, "compression", 0, MDK_ARG_VALUE, "C", NULL,
   "gzip[:1-12] (default), zstd[:1-19] or uncompressed"},
  {O_PUSH, "push", 0, MDK_ARG_NONE, NULL, NULL,
   "push every -t NAME to its registry"},
  {O_PULL, "pull", 0, MDK_ARG_OPTIONAL, NULL,
   "always|missing|never|true|false",
   "when FROM images are pulled (default missing;\n--pull alone or =true: "
   "always, =false: missing,\nas docker build's); a value goes after =" },
  {O_LOCK, "lock", 0, MDK_ARG_VALUE, "FILE", NULL,
   "write the digest each FROM resolved to"},
  {O_LOCKED, "locked", 0, MDK_ARG_NONE, NULL, NULL,
   "FROM must resolve to what --lock FILE says"},
  {O_INSECURE, "insecure-registry", 0, MDK_ARG_VALUE, "HOST", NULL,
   "plain HTTP for HOST"},
  {O_CACHE_TO, "cache-to", 0, MDK_ARG_VALUE, "type=registry,ref=R", NULL,
   "export the build's cache to R"},
  {O_CACHE_FROM, "cache-from", 0, MDK_ARG_VALUE, "type=registry,ref=R", NULL,
   "reuse a cache exported to R"},
  {O_NO_CACHE, "no-cache", 0, MDK_ARG_NONE, NULL, NULL,
   "rebuild every step (also MDOCK_FORCE_BUILD=1;\n`# mdock force-build` "
   "above one instruction\nrebuilds it and what follows)"},
  {O_NO_CACHE_FILTER, "no-cache-filter", 0, MDK_ARG_VALUE, "STAGE,...", NULL,
   "rebuild these stages only"},
  {O_CONTEXT_FILE, "context-file", 0, MDK_ARG_VALUE, "NAME=PATH", NULL,
   "for --command lists: PATH is the context file\nNAME (COPY /NAME ... as "
   "in Modal)"},
  {O_SECRET, "secret", 0, MDK_ARG_VALUE, "id=ID,src=FILE|env=VAR", NULL,
   "a secret for RUN --mount=type=secret (never in a\nlayer, the config or "
   "the history)"},
  {O_SECRET_ENV, "secret-env", 0, MDK_ARG_VALUE, "NAME[=VAR]", NULL,
   "NAME in every RUN's environment, its value from\nthe variable VAR (default "
   "NAME), as Modal's\nsecrets=: never in a layer, the config, the\n"
   "history, the progress or a cache key"},
  {O_BUILD_CONTEXT, "build-context", 0, MDK_ARG_VALUE,
   "NAME=DIR|docker-image://REF", NULL,
   "a named context: FROM NAME and COPY --from=NAME\nuse the directory or "
   "the image instead of the\nimage NAME (repeatable)"},
  {O_RM, "rm", 0, MDK_ARG_NONE, NULL, NULL,
   "accepted for docker's sake: mdock keeps no\nintermediate containers"},
  {O_FORCE_RM, "force-rm", 0, MDK_ARG_NONE, NULL, NULL,
   "accepted for docker's sake (as --rm)"},
  {O_LOAD, "load", 0, MDK_ARG_NONE, NULL, NULL,
   "accepted for buildx's sake: the image is always\nin the store (mdock "
   "save | docker load hands it\nto docker)"},
  {O_SSH, "ssh", 0, MDK_ARG_VALUE, "default|ID[=SOCKET|KEY[,KEY]]", NULL,
   "an SSH agent for RUN --mount=type=ssh: default\n($SSH_AUTH_SOCK's), an "
   "agent's socket, or key\nfiles (served by an ssh-agent for the build)"},
  {O_ALLOW, "allow", 0, MDK_ARG_VALUE, NULL, "security.insecure",
   "permit RUN --security=insecure"},
  {O_RUNTIME, "runtime", 0, MDK_ARG_VALUE, NULL, "runc|crun|embedded",
   "hand RUN steps to that OCI runtime (default:\nmdock's own namespaces)"},
  MDK_IN_OPT_COMMANDS,
  {O_PROGRESS, "progress", 0, MDK_ARG_VALUE, NULL, "auto|tty|plain|json",
   "how steps are shown on stderr (json: one event\nper line, for tools)"},
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL,
   "no progress; print only the image ID"},
  {O_IIDFILE, "iidfile", 0, MDK_ARG_VALUE, "FILE", NULL,
   "write the image ID (the config's digest) to FILE"},
  {O_METADATA, "metadata-file", 0, MDK_ARG_VALUE, "FILE", NULL,
   "write BuildKit's build result metadata to FILE\n(containerimage.digest, "
   "...config.digest, image.name)"},
  {O_LABEL, "label", 0, MDK_ARG_VALUE, "K=V", NULL,
   "a label on the image (repeatable)"},
  {O_NETWORK, "network", 0, MDK_ARG_VALUE, NULL, "default|host|none",
   "the network of every RUN without --network of its\nown: default is a namespace with slirp4netns's way\nout (the host's loopback is\nhost.containers.internal), host the host's, none\nloopback only"},
  {O_ADD_HOST, "add-host", 0, MDK_ARG_VALUE, "HOST:IP", NULL,
   "an /etc/hosts entry for RUN steps (repeatable)"},
  {O_SHM_SIZE, "shm-size", 0, MDK_ARG_VALUE, "SIZE", NULL,
   "/dev/shm's size in RUN steps (docker's units:\n64m, 2g; default 64m)"},
  {O_ULIMIT, "ulimit", 0, MDK_ARG_VALUE, "NAME=SOFT[:HARD]", NULL,
   "a resource limit of RUN steps (nofile=1024:2048;\n-1 unlimited; "
   "repeatable)"},
  {O_CHECK, "check", 0, MDK_ARG_NONE, NULL, NULL,
   "run BuildKit's build checks and build nothing:\nexit 1 when they find "
   "something (--call=check)"},
  {O_CALL, "call", 0, MDK_ARG_VALUE, NULL, "build|check",
   "build (the default), or check (as --check)"},
  {O_PROVENANCE, "provenance", 0, MDK_ARG_OPTIONAL, "false", NULL,
   "accepted for buildx's sake when false: mdock makes\nno attestations"},
  {O_SBOM, "sbom", 0, MDK_ARG_OPTIONAL, "false", NULL,
   "accepted for buildx's sake when false (as --provenance)"},
  {O_ATTEST, "attest", 0, MDK_ARG_VALUE, "type=T,disabled=true", NULL,
   "accepted for buildx's sake when disabled"},
  {O_BUILDER, "builder", 0, MDK_ARG_VALUE, "NAME", NULL,
   "accepted for buildx's sake: mdock is the builder"},
  {0}
};

struct build_opts {
  struct mdk_arena *a;
  const struct mdk_cli_cmd *cmd;
  struct mdk_cli_input in;
  struct mdk_vec tags, outputs, context_files, labels;   /* const char * */
  struct mdk_vec hosts;         /* --add-host HOST:IP (struct mdk_str) */
  struct mdk_vec ulimits;       /* --ulimit NAME=SOFT:HARD (struct mdk_str) */
  const char *shm_size;         /* --shm-size in bytes (decimal) */
  struct mdk_vec secrets;       /* struct mdk_be_secret */
  struct mdk_vec secret_env;    /* struct mdk_be_secret_arg (--secret-env) */
  struct mdk_vec ssh;           /* struct mdk_be_ssh */
  struct mdk_vec contexts;      /* struct mdk_fe_kv: NAME -> REF or DIR */
  struct mdk_vec platforms;     /* --platform P1,P2 normalised (const char *) */
  const char *compression, *progress, *no_cache_filter, *runtime;
  const char *cache_to, *cache_from, *pull, *lock, *insecure, *iidfile;
  const char *metadata, *network;
  bool no_cache, allow_insecure, push, locked, quiet, color;
  bool check;                   /* --check: the build checks, no build */
};

/* "type=registry,ref=R[,...]": R */
static const char *registry_ref(struct mdk_arena *a, const char *v)
{
  const char *r = strstr(v, "ref=");
  if(strncmp(v, "type=registry", 13) != 0 || !r)
    return NULL;
  r += 4;
  return mdk_arena_strndup(a, r, strcspn(r, ","));
}

/* the options with a value to check, and the lists */
static int value_opt(const struct mdk_cli_cmd *cmd, struct mdk_arena *a,
                     struct build_opts *o, int id, const char *v)
{
  struct mdk_be_secret sec;
  const char *why;
  switch(id) {
  case O_TAG: mdk_vec_push(a, &o->tags, &v); break;
  case O_OUTPUT: {
    struct mdk_be_output out;
    if(!mdk_be_output_parse(a, v, &out, &why))
      return mdk_cli_usage_error(cmd, "%s", why);
    mdk_vec_push(a, &o->outputs, &v);
    break;
  }
  case O_SECRET_ENV: {
    const char *eq = strchr(v, '=');
    const char *var = eq ? eq + 1 : v, *val;
    struct mdk_be_secret_arg sa;
    size_t nl = eq ? (size_t)(eq - v) : strlen(v), k;
    bool name_ok = nl > 0 && !(v[0] >= '0' && v[0] <= '9');
    for(k = 0; k < nl; k++)
      name_ok &= (v[k] >= 'A' && v[k] <= 'Z') || (v[k] >= 'a' && v[k] <= 'z')
                 || (v[k] >= '0' && v[k] <= '9') || v[k] == '_';
    if(!name_ok || !*var)
      return mdk_cli_usage_error(cmd, "--secret-env takes NAME or NAME=VAR "
                                 "(an environment variable name), not '%s'",
                                 v);
    val = getenv(var);
    if(!val)
      return mdk_cli_usage_error(cmd, "--secret-env %s: the environment has "
                                 "no %s to take the value from", v, var);
    sa.name = mdk_str_make(mdk_arena_strndup(a, v, nl), nl);
    sa.value = mdk_str_c(mdk_arena_strndup(a, val, strlen(val)));
    mdk_vec_push(a, &o->secret_env, &sa);
    break;
  }
  case O_SECRET:
    if(!mdk_be_secret_parse(a, v, &sec, &why))
      return mdk_cli_usage_error(cmd, "%s", why);
    mdk_vec_push(a, &o->secrets, &sec);
    break;
  case O_BUILD_CONTEXT: {
    const char *eq = strchr(v, '=');
    struct mdk_fe_kv kv;
    size_t k;
    if(!eq || eq == v || !eq[1])
      return mdk_cli_usage_error(cmd, "--build-context takes NAME=DIR or "
                                 "NAME=docker-image://REF, not '%s'", v);
    kv.key = mdk_str_make(mdk_arena_strndup(a, v, (size_t)(eq - v)),
                          (size_t)(eq - v));
    kv.val = mdk_str_c(eq + 1);
    if(strstr(eq + 1, "://") && strncmp(eq + 1, "docker-image://", 15) != 0)
      return mdk_cli_usage_error(cmd, "--build-context %.*s: only a "
                                 "directory or docker-image://REF (for an "
                                 "OCI layout or archive, `mdock import` it "
                                 "and give docker-image://NAME)",
                                 (int)kv.key.len, kv.key.ptr);
    for(k = 0; k < o->contexts.len; k++)
      if(mdk_str_eq(mdk_vec_at(&o->contexts, struct mdk_fe_kv, k)->key,
                    kv.key))
        return mdk_cli_usage_error(cmd, "--build-context %.*s given twice",
                                   (int)kv.key.len, kv.key.ptr);
    mdk_vec_push(a, &o->contexts, &kv);
    break;
  }
  case O_SSH: {
    struct mdk_be_ssh ssh;
    if(!mdk_be_ssh_parse(a, v, &ssh, &why))
      return mdk_cli_usage_error(cmd, "%s", why);
    if(mdk_be_ssh_find(o->ssh.items, o->ssh.len, ssh.id))
      return mdk_cli_usage_error(cmd, "--ssh %s given twice", ssh.id);
    mdk_vec_push(a, &o->ssh, &ssh);
    break;
  }
  case O_CONTEXT_FILE:
    if(!strchr(v, '=') || v[0] == '=')
      return mdk_cli_usage_error(cmd, "--context-file takes NAME=PATH, not "
                                 "'%s'", v);
    mdk_vec_push(a, &o->context_files, &v);
    break;
  case O_CACHE_TO:
  case O_CACHE_FROM: {
    const char *ref = registry_ref(a, v);
    if(!ref)
      return mdk_cli_usage_error(cmd, "--cache-to/--cache-from take "
                                 "type=registry,ref=HOST/REPO:TAG, not '%s'",
                                 v);
    *(id == O_CACHE_TO ? &o->cache_to : &o->cache_from) = ref;
    break;
  }
  }
  return 0;
}

static int on_arg(void *p, int id, const char *v)
{
  struct build_opts *o = p;
  if(mdk_cli_input_opt(o->a, &o->in, id, v))
    return 0;
  switch(id) {
  case MDK_CLI_OPERAND:
    if(o->in.context)
      return mdk_cli_usage_error(o->cmd, "more than one build context "
                                 "given ('%s')", v);
    o->in.context = v;
    break;
  case O_COMPRESSION: o->compression = v; break;
  case O_PUSH: o->push = mdk_cli_on(v); break;
  case O_PULL:
    /* docker's boolean forms: true forces the pull, false does not */
    o->pull = !v || strcmp(v, "true") == 0 ? "always"
            : strcmp(v, "false") == 0 ? "missing" : v;
    break;
  case O_LOCK: o->lock = v; break;
  case O_LOCKED: o->locked = mdk_cli_on(v); break;
  case O_INSECURE: o->insecure = v; break;
  case O_NO_CACHE: o->no_cache = mdk_cli_on(v); break;
  case O_NO_CACHE_FILTER: o->no_cache_filter = v; break;
  case O_ALLOW: o->allow_insecure = true; break;
  case O_RUNTIME: o->runtime = strcmp(v, "embedded") ? v : NULL; break;
  case O_PROGRESS: o->progress = v; break;
  case O_QUIET: o->quiet = mdk_cli_on(v); break;
  case O_IIDFILE: o->iidfile = v; break;
  case O_METADATA: o->metadata = v; break;
  case O_NETWORK: o->network = v; break;
  case O_RM: case O_FORCE_RM: case O_LOAD: case O_BUILDER:
    break;                      /* what mdock does */
  case O_CHECK: o->check = mdk_cli_on(v); break;
  case O_SHM_SIZE: {
    uint64_t n;
    if(!mdk_cli_ram_bytes(v, &n) || !n)
      return mdk_cli_usage_error(o->cmd, "--shm-size takes a size (64m, "
                                 "2g, 1048576), not '%s'", v);
    o->shm_size = mdk_arena_printf(o->a, "%llu", (unsigned long long)n);
    break;
  }
  case O_ULIMIT: {
    struct mdk_rt_ulimit u;
    const char *why;
    struct mdk_str sv;
    if(!mdk_rt_ulimit_parse(v, &u, &why))
      return mdk_cli_usage_error(o->cmd, "--ulimit %s: %s", v, why);
    /* keyed as written: the same limits give the same key */
    sv = mdk_str_c(v);
    mdk_vec_push(o->a, &o->ulimits, &sv);
    break;
  }
  case O_CALL: o->check = strcmp(v, "check") == 0; break;
  case O_PROVENANCE:
  case O_SBOM:
  case O_ATTEST:
    /* no attestations: asking for none is fine, asking for one is not */
    if(!(v && (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
               strstr(v, "disabled=true"))))
      return mdk_cli_usage_error(o->cmd, "mdock makes no %s attestations "
                                 "(drop the option, or give %s)",
                                 id == O_SBOM ? "SBOM" : "provenance",
                                 id == O_ATTEST ? "disabled=true"
                                                : "=false");
    break;
  case O_LABEL:
    if(!strchr(v, '=') || v[0] == '=')
      return mdk_cli_usage_error(o->cmd, "--label takes KEY=VALUE, not '%s'",
                                 v);
    mdk_vec_push(o->a, &o->labels, &v);
    break;
  case O_ADD_HOST: {
    /* docker's HOST:IP (the IP may hold colons: IPv6); HOST=IP too */
    const char *sep = strchr(v, '=') ? strchr(v, '=') : strchr(v, ':');
    struct mdk_str s = mdk_str_c(v);
    if(!sep || sep == v || !sep[1])
      return mdk_cli_usage_error(o->cmd, "--add-host takes HOST:IP, not "
                                 "'%s'", v);
    mdk_vec_push(o->a, &o->hosts, &s);
    break;
  }
  default: return value_opt(o->cmd, o->a, o, id, v);
  }
  return 0;
}

static int read_args(const struct mdk_cli_cmd *cmd, int argc, char **argv,
                     struct build_opts *o)
{
  int rc = mdk_cli_each(cmd, argc, argv, on_arg, o);
  if(!rc && o->locked && !o->lock)
    rc = mdk_cli_usage_error(cmd, "--locked needs --lock FILE");
  return rc;
}

/* SOURCE_DATE_EPOCH and --compression into the layer options */
static int layer_opts(const struct mdk_cli_cmd *cmd,
                      const struct build_opts *o, struct mdk_be_build_opts *bo)
{
  const char *epoch_s = getenv("SOURCE_DATE_EPOCH");
  bo->layer.epoch = -1;
  bo->now = (int64_t)time(NULL);
  if(epoch_s && *epoch_s) {
    char *end;
    long long v = strtoll(epoch_s, &end, 10);
    if(*end || v < 0)
      return mdk_cli_usage_error(cmd, "SOURCE_DATE_EPOCH must be a number "
                                 "of seconds, not '%s'", epoch_s);
    bo->layer.epoch = v;
    bo->now = v;
  }
  if(o->compression && !mdk_be_compression_parse(o->compression,
                                                 &bo->layer.comp))
    return mdk_cli_usage_error(cmd, "--compression takes gzip[:1-12], "
                               "zstd[:1-19] or uncompressed, not '%s'",
                               o->compression);
  return 0;
}

/* A --command list builds from --context-file files only (Modal's
 * context_files): they are staged into a context of its own. */
static int stage_context_files(const struct mdk_cli_cmd *cmd,
                               struct mdk_arena *a, struct build_opts *o,
                               const struct mdk_be_store *store,
                               char **ctx_dir)
{
  char name_buf[4300], tmpdir[4200];
  size_t c;
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", store->root);
  *ctx_dir = mdk_arena_printf(a, "%s", mdk_temp_name(name_buf,
                                                     sizeof(name_buf),
                                                     tmpdir, "context"));
  if(mkdir(*ctx_dir, 0755)) {
    fprintf(stderr, "mdock: error: cannot create %s\n", *ctx_dir);
    return 1;
  }
  for(c = 0; c < o->context_files.len; c++) {
    const char *spec = *mdk_vec_at(&o->context_files, const char *, c);
    const char *eq = strchr(spec, '=');
    char *name = mdk_arena_strndup(a, spec, (size_t)(eq - spec));
    char *dst, *slash;
    int err;
    while(*name == '/')
      name++;
    if(!*name || strstr(name, ".."))
      return mdk_cli_usage_error(cmd, "--context-file NAME must be a path "
                                 "inside the context, not '%s'", spec);
    dst = mdk_arena_printf(a, "%s/%s", *ctx_dir, name);
    slash = strrchr(dst, '/');
    *slash = '\0';
    mdk_mkdir_p(dst, &err);
    *slash = '/';
    if(mdk_copy_file(eq + 1, dst, &err)) {
      fprintf(stderr, "mdock: error: --context-file %s: %s\n", spec,
              strerror(err));
      return 1;
    }
  }
  o->in.context = *ctx_dir;
  return 0;
}

static enum mdk_be_pull_policy pull_policy(const char *v)
{
  if(!v || strcmp(v, "missing") == 0)
    return MDK_BE_PULL_MISSING;
  return strcmp(v, "always") == 0 ? MDK_BE_PULL_ALWAYS : MDK_BE_PULL_NEVER;
}

/* Compiles, resolves every FROM (pulling what is missing) and, when a base
 * was pulled just now, compiles again: its ENV and ONBUILD are known at
 * last.  Then the keys take the context's content. */
static int compile_resolved(struct mdk_arena *a, struct build_opts *o,
                            const struct mdk_source *src,
                            struct mdk_be_store *store,
                            struct mdk_ir_graph **g)
{
  struct mdk_cli_compile_opts co = {
    o->in.dialect, o->in.build_args.items, o->in.build_args.len,
    o->in.platform, o->in.target, false, NULL, mdk_cli_base_env, store,
    mdk_cli_base_onbuild, o->network, o->hosts.items, o->hosts.len,
    o->contexts.items, o->contexts.len, o->shm_size, o->ulimits.items,
    o->ulimits.len};
  struct mdk_be_resolve_opts ro;
  struct mdk_diags diags;
  struct mdk_err e;
  bool pulled = false;
  int pass;

  memset(&ro, 0, sizeof(ro));
  ro.pull = pull_policy(o->pull);
  ro.insecure_host = o->insecure;
  ro.locked = o->locked;
  if(o->locked && mdk_cli_lock_load(a, o->lock, &ro))
    return 1;
  for(pass = 0; pass < 2 && (pass == 0 || pulled); pass++) {
    enum mdk_status st;
    mdk_diags_init(&diags, a);
    st = mdk_cli_compile(a, &diags, src, &co, g);
    mdk_diags_print(&diags, stderr, o->color);
    if(st)
      return mdk_status_exit_code(st);
    if(pass)
      ro.pull = MDK_BE_PULL_MISSING;
    if(mdk_be_resolve_bases(store, a, *g, &ro, &pulled, &e))
      return mdk_cli_fail(&e);
  }
  if(o->lock && !o->locked && mdk_cli_lock_save(o->lock, &ro))
    return 1;
  return mdk_cli_ir_hash_context(a, *g, o->in.context ? o->in.context : ".",
                                 mdk_cli_input_dockerfile(a, &o->in),
                                 store->root, false) ? 1 : 0;
}

/* the live view needs a terminal that takes escape codes: on anything
 * else (a pipe, NO_COLOR, TERM=dumb) auto and tty are plain */
static enum mdk_be_progress progress_fmt(const char *v)
{
  const char *term = getenv("TERM");
  bool live = mdk_cli_color() && !(term && strcmp(term, "dumb") == 0);
  if(v && strcmp(v, "json") == 0)
    return MDK_BE_PROGRESS_JSON;
  if(v && strcmp(v, "plain") == 0)
    return MDK_BE_PROGRESS_PLAIN;
  return live ? MDK_BE_PROGRESS_TTY : MDK_BE_PROGRESS_PLAIN;
}

/* MDOCK_FORCE_BUILD: Modal's MODAL_FORCE_BUILD */
static bool force_build(void)
{
  const char *f = getenv("MDOCK_FORCE_BUILD");
  return f && *f && strcmp(f, "0") != 0;
}

static void cache_from(struct mdk_be_store *store, const struct build_opts *o)
{
  struct mdk_be_pull_opts po = {.insecure_host = NULL};
  struct mdk_err e;
  size_t ne;
  /* a cache that cannot be read is no reason not to build */
  if(mdk_be_cache_import(store, o->cache_from, &po, &ne, &e))
    fprintf(stderr, "mdock: warning: --cache-from %s: %s\n", o->cache_from,
            e.msg);
  else if(!o->quiet && progress_fmt(o->progress) != MDK_BE_PROGRESS_JSON)
    fprintf(stderr, "cache from %s: %zu entries\n", o->cache_from, ne);
}

/* docker.io/library/app:latest, as BuildKit names an image */
static const char *full_name(struct mdk_arena *a, const char *tag)
{
  const char *n = mdk_be_ref_normalize(a, tag), *slash = strchr(n, '/');
  size_t first = slash ? (size_t)(slash - n) : 0;
  if(!slash)
    return mdk_arena_printf(a, "docker.io/library/%s", n);
  if(!memchr(n, '.', first) && !memchr(n, ':', first) &&
     strncmp(n, "localhost/", 10) != 0)
    return mdk_arena_printf(a, "docker.io/%s", n);
  return n;
}

struct platform_job;

/* what a build made: one image per platform, and with several platforms
 * the index naming them (which tags, pushes and outputs then take) */
struct result {
  struct mdk_be_image *ims;
  struct mdk_ir_graph **gs;
  size_t n;
  mdk_digest index;
  uint64_t index_size;
  struct platform_job *jobs;    /* several platforms: their arenas hold
                                   the graphs until the result is done */
  size_t njobs;
  const struct mdk_lint_checks *checks;   /* the build checks' findings */
};

/* the digest that names the result: the image's manifest, or the index */
static const char *result_digest(const struct result *res)
{
  return res->n > 1 ? res->index : res->ims[0].manifest;
}

/* the image ID docker prints: the config's digest; an index has none, so
 * buildx's: the index's digest */
static const char *result_id(const struct result *res)
{
  return res->n > 1 ? res->index : res->ims[0].config_digest;
}

/* --metadata-file: BuildKit's result keys */
static int write_metadata(struct mdk_arena *a, const struct build_opts *o,
                          const struct result *res)
{
  struct mdk_buf b;
  struct mdk_jsonw j;
  struct mdk_buf names;
  size_t k;
  int err, rc = 0;
  mdk_buf_init(&b, 1 << 20);
  mdk_buf_init(&names, 1 << 20);
  for(k = 0; k < o->tags.len; k++)
    mdk_buf_printf(&names, "%s%s", k ? "," : "",
                   full_name(a, *mdk_vec_at(&o->tags, const char *, k)));
  mdk_jsonw_init(&j, &b);
  mdk_jsonw_begin(&j, '{');
  if(res->n == 1) {
    mdk_jsonw_key(&j, "containerimage.config.digest");
    mdk_jsonw_cstr(&j, res->ims[0].config_digest);
  }
  mdk_jsonw_key(&j, "containerimage.digest");
  mdk_jsonw_cstr(&j, result_digest(res));
  if(names.len) {
    mdk_jsonw_key(&j, "image.name");
    mdk_jsonw_str(&j, mdk_buf_str(&names));
  }
  mdk_cli_checks_metadata(a, &j, res->checks);
  mdk_jsonw_end(&j, '}');
  mdk_buf_putc(&b, '\n');
  if(mdk_write_atomic(o->metadata, b.ptr, b.len, &err)) {
    fprintf(stderr, "mdock: error: cannot write %s: %s\n", o->metadata,
            strerror(err));
    rc = 1;
  }
  mdk_buf_free(&names);
  mdk_buf_free(&b);
  return rc;
}

/* what follows a build: tags, cache export, pushes, outputs */
static int deliver(struct mdk_arena *a, const struct build_opts *o,
                   struct mdk_be_store *store, const struct result *res)
{
  struct mdk_be_pull_opts po = {.progress = o->quiet ? NULL : stderr};
  const char *first = o->tags.len ? *mdk_vec_at(&o->tags, const char *, 0)
                                  : NULL;
  struct mdk_err e;
  size_t k, ne;
  bool stdout_taken = false;
  for(k = 0; k < o->tags.len; k++) {
    const char *t = *mdk_vec_at(&o->tags, const char *, k);
    if(mdk_be_tag_set(store, mdk_be_ref_normalize(a, t), result_digest(res),
                      &e))
      return mdk_cli_fail(&e);
  }
  if(o->cache_to) {
    struct mdk_be_pull_opts cpo = {.insecure_host = NULL};
    if(mdk_be_cache_export(store, (const struct mdk_ir_graph *const *)
                           res->gs, res->n, o->cache_to, &cpo, &ne, &e))
      return mdk_cli_fail(&e);
    /* --progress json: every line on stderr is an event */
    if(!o->quiet && progress_fmt(o->progress) != MDK_BE_PROGRESS_JSON)
      fprintf(stderr, "cache to %s: %zu entries\n", o->cache_to, ne);
  }
  for(k = 0; o->push && k < o->tags.len; k++) {
    struct mdk_be_push_report rep;
    const char *t = *mdk_vec_at(&o->tags, const char *, k);
    if(res->n > 1 ? mdk_be_push_index(store, res->index, res->ims, res->n, t,
                                      &po, &rep, &e)
                  : mdk_be_push(store, &res->ims[0], t, &po, &rep, &e))
      return mdk_cli_fail(&e);
  }
  fflush(stdout);
  for(k = 0; k < o->outputs.len; k++) {
    struct mdk_be_output out;
    const char *why = NULL;
    const char *name = first ? mdk_be_ref_normalize(a, first) : NULL;
    mdk_be_output_parse(a, *mdk_vec_at(&o->outputs, const char *, k), &out,
                        &why);
    if(strcmp(out.dest, "-") == 0)
      stdout_taken = true;
    if(res->n > 1 ? mdk_be_export_index(store, res->index, res->index_size,
                                        res->ims, res->n, &out, name, &e)
                  : mdk_be_export(store, &res->ims[0], &out, name, &e))
      return mdk_cli_fail(&e);
  }
  if(o->iidfile) {
    char line[100];
    int err;
    snprintf(line, sizeof(line), "%s", result_id(res));
    if(mdk_write_atomic(o->iidfile, line, strlen(line), &err)) {
      fprintf(stderr, "mdock: error: cannot write %s: %s\n", o->iidfile,
              strerror(err));
      return 1;
    }
  }
  if(o->metadata && write_metadata(a, o, res))
    return 1;
  /* the image ID, as docker build prints it: the config's digest (on
   * stderr when the image itself went to standard output) */
  fprintf(stdout_taken ? stderr : stdout, "%s\n", result_id(res));
  return 0;
}

/* --build-context: NAME=docker-image://REF is REF; NAME=DIR becomes an
 * image of the directory, named by its digest */
static int named_contexts(struct mdk_arena *a, struct build_opts *o,
                          struct mdk_be_store *store,
                          const struct mdk_be_build_opts *bo)
{
  size_t k;
  for(k = 0; k < o->contexts.len; k++) {
    struct mdk_fe_kv *kv = mdk_vec_at(&o->contexts, struct mdk_fe_kv, k);
    mdk_digest md;
    struct mdk_err e;
    if(mdk_str_has_prefix(kv->val, "docker-image://")) {
      kv->val = mdk_str_make(kv->val.ptr + 15, kv->val.len - 15);
      continue;
    }
    if(mdk_be_image_from_dir(store, kv->val.ptr, o->in.platform, &bo->layer,
                             md, &e)) {
      fprintf(stderr, "mdock: error: --build-context %.*s: %s\n",
              (int)kv->key.len, kv->key.ptr, e.msg);
      return 1;
    }
    kv->val = mdk_str_c(mdk_arena_printf(a, "%s", md));
  }
  return 0;
}

/* --platform P1,P2,...: each normalised (linux/aarch64 is linux/arm64),
 * once; none is this machine's platform */
static int parse_platforms(const struct mdk_cli_cmd *cmd, struct mdk_arena *a,
                           struct build_opts *o)
{
  const char *v = o->in.platform ? o->in.platform : mdk_platform_host_str();
  char *list = mdk_arena_strndup(a, v, strlen(v)), *t, *sv;
  for(t = strtok_r(list, ",", &sv); t; t = strtok_r(NULL, ",", &sv)) {
    struct mdk_platform p;
    char buf[100];
    const char *norm;
    size_t k;
    bool dup = false;
    while(*t == ' ')
      t++;
    if(mdk_cli_platform_arg(cmd, t, &p))
      return 2;
    mdk_platform_str(&p, buf, sizeof(buf));
    norm = mdk_arena_strndup(a, buf, strlen(buf));
    for(k = 0; k < o->platforms.len; k++)
      dup |= strcmp(*mdk_vec_at(&o->platforms, const char *, k), norm) == 0;
    if(!dup)
      mdk_vec_push(a, &o->platforms, &norm);
  }
  if(!o->platforms.len)
    return mdk_cli_usage_error(cmd, "--platform names no platform");
  return 0;
}

/* one platform's graph: compile (with that platform's ARGs and bases),
 * resolve (pulling what is missing) */
static int prepare_one(struct mdk_arena *a, struct build_opts *o,
                       const struct mdk_source *src,
                       struct mdk_be_store *store,
                       struct mdk_be_build_opts *bo, struct mdk_ir_graph **g)
{
  int rc = named_contexts(a, o, store, bo);
  if(!rc)
    rc = compile_resolved(a, o, src, store, g);
  if(rc)
    return rc;
  /* the environment's SOURCE_DATE_EPOCH is a build arg to BuildKit (buildx
   * passes it on), so it wins over the Dockerfile's ARG default */
  if(bo->layer.epoch < 0 && (*g)->epoch >= 0) {
    bo->layer.epoch = (*g)->epoch;
    bo->now = (*g)->epoch;
  }
  return 0;
}

static int run_one(struct mdk_be_store *store, struct mdk_ir_graph *g,
                   struct mdk_be_build_opts *bo, struct mdk_be_image *im)
{
  struct mdk_err e;
  if(mdk_be_build(store, g, bo, im, &e))
    return mdk_cli_fail(&e);
  return 0;
}

/* one platform of several, in a thread of its own: its own arena and
 * copies of the options it changes (the platform, --build-context values,
 * the build's epoch) */
struct platform_job {
  struct mdk_arena a;
  struct build_opts o;
  struct mdk_be_build_opts bo;
  const struct mdk_source *src;
  struct mdk_be_store *store;
  struct mdk_ir_graph *g;
  struct mdk_be_image im;
  int rc;
};

static void *platform_main(void *p)
{
  struct platform_job *j = p;
  j->rc = run_one(j->store, j->g, &j->bo, &j->im);
  return NULL;
}

/* The platforms at once, as many as there are processors (the emulated
 * ones are slow: they overlap the native ones).  A step they share runs
 * once (backend/build.c's key claims): the first platform to reach it
 * builds it, the others wait and find it cached.  On a live terminal view
 * the platforms take turns, each drawn whole. */
static int build_platforms(struct mdk_arena *a, struct build_opts *o,
                           const struct mdk_source *src,
                           struct mdk_be_store *store,
                           struct mdk_be_build_opts *bo, struct result *res)
{
  size_t n = res->n, k, first;
  int cpus = mdk_cpu_count();
  size_t width = bo->progress_fmt == MDK_BE_PROGRESS_TTY && bo->progress
               ? 1 : (size_t)cpus;
  struct platform_job *jobs = mdk_arena_array(a, struct platform_job, n);
  int *step_ids = mdk_arena_new(a, int);
  pthread_t *tid = mdk_arena_array(a, pthread_t, n);
  bool *started = mdk_arena_array(a, bool, n);
  int rc = 0;
  for(k = 0; k < n; k++) {
    struct platform_job *j = &jobs[k];
    mdk_arena_init(&j->a);
    j->o = *o;
    j->o.a = &j->a;
    j->o.in.platform = *mdk_vec_at(&o->platforms, const char *, k);
    /* named_contexts rewrites the values: each platform its own */
    if(o->contexts.len) {
      j->o.contexts.items = mdk_arena_array(&j->a, struct mdk_fe_kv,
                                            o->contexts.len);
      memcpy(j->o.contexts.items, o->contexts.items,
             o->contexts.len * sizeof(struct mdk_fe_kv));
    }
    j->bo = *bo;
    j->bo.platform_label = j->o.in.platform;
    j->bo.step_ids = step_ids;
    j->src = src;
    j->store = store;
    j->rc = -1;                 /* not built */
  }
  /* compiled and resolved one after another: a Dockerfile's error is
   * said once, bases are pulled once */
  for(k = 0; k < n && !rc; k++)
    rc = prepare_one(&jobs[k].a, &jobs[k].o, src, store, &jobs[k].bo,
                     &jobs[k].g);
  res->jobs = jobs;
  res->njobs = n;
  res->n = 0;
  if(rc)
    return rc;
  for(first = 0; first < n; first += width) {
    for(k = first; k < n && k < first + width; k++)
      started[k] = width > 1 &&
                   pthread_create(&tid[k], NULL, platform_main, &jobs[k]) == 0;
    for(k = first; k < n && k < first + width; k++) {
      if(started[k])
        pthread_join(tid[k], NULL);
      else
        platform_main(&jobs[k]);
    }
  }
  for(k = 0; k < n; k++)
    if(jobs[k].rc && !rc)
      rc = jobs[k].rc;
  /* the graphs stay in the jobs' arenas, freed with the result */
  for(k = 0; k < n; k++) {
    if(jobs[k].rc)
      continue;
    res->ims[res->n] = jobs[k].im;
    res->gs[res->n++] = jobs[k].g;
  }
  if(rc) {
    for(k = 0; k < res->n; k++)
      mdk_be_image_free(&res->ims[k]);
    res->n = 0;
  }
  return rc;
}

static int build(struct mdk_arena *a, struct build_opts *o,
                 const struct mdk_source *src, struct mdk_be_store *store,
                 struct mdk_be_build_opts *bo)
{
  struct result res;
  struct mdk_err e;
  struct mdk_lint_checks checks;
  size_t k;
  int rc = 0;
  /* --dialect modal: what Modal's builder would refuse fails here */
  if(o->in.dialect == MDK_FE_DIALECT_MODAL &&
     mdk_lint_modal_refuses(a, src, o->in.context ? o->in.context : ".",
                            o->in.file, stderr, o->color)) {
    fprintf(stderr, "mdock: error: Modal's builder would not build this "
            "(see the findings above; --dialect docker builds it)\n");
    return 1;
  }
  /* BuildKit's build checks, before any step runs, with the ENV of the
   * base images the store has */
  {
    struct mdk_lint_build_checks_opts co = {
      o->in.context ? o->in.context : ".", o->in.file,
      mdk_cli_check_override(o->a, &o->in.build_args), mdk_cli_base_env,
      store};
    mdk_lint_build_checks(a, src, &co, &checks);
  }
  if(o->check)
    return mdk_cli_checks_only(&checks, o->color && isatty(1));
  if(checks.fail)
    return mdk_cli_checks_fail(a, &checks, o->color);
  if(o->cache_from)
    cache_from(store, o);
  bo->context = o->in.context ? o->in.context : ".";
  bo->dockerfile = mdk_cli_input_dockerfile(a, &o->in);
  bo->no_cache = o->no_cache || force_build();
  bo->no_cache_filter = o->no_cache_filter;
  bo->progress = o->quiet ? NULL : stderr;
  bo->progress_fmt = progress_fmt(o->progress);
  bo->secrets = o->secrets.items;
  bo->nsecrets = o->secrets.len;
  bo->ssh = o->ssh.items;
  bo->nssh = o->ssh.len;
  bo->secret_args = o->in.secret_args.items;
  bo->nsecret_args = o->in.secret_args.len;
  bo->secret_env = o->secret_env.items;
  bo->nsecret_env = o->secret_env.len;
  bo->allow_insecure = o->allow_insecure;
  bo->oci_runtime = o->runtime;
  bo->labels = o->labels.items;
  bo->nlabels = o->labels.len;
  memset(&res, 0, sizeof(res));
  res.checks = &checks;
  res.n = o->platforms.len;
  res.ims = mdk_arena_array(a, struct mdk_be_image, res.n);
  res.gs = mdk_arena_array(a, struct mdk_ir_graph *, res.n);
  if(res.n == 1) {
    o->in.platform = *mdk_vec_at(&o->platforms, const char *, 0);
    rc = prepare_one(a, o, src, store, bo, &res.gs[0]);
    if(!rc)
      rc = run_one(store, res.gs[0], bo, &res.ims[0]);
    if(rc)
      res.n = 0;
  }
  else
    rc = build_platforms(a, o, src, store, bo, &res);
  if(!rc && res.n > 1 &&
     mdk_be_index_store(store, res.ims, res.n, res.index, &res.index_size,
                        &e))
    rc = mdk_cli_fail(&e);
  if(!rc)
    rc = deliver(a, o, store, &res);
  /* buildx: the warnings after the build's own output */
  if(!o->quiet && progress_fmt(o->progress) != MDK_BE_PROGRESS_JSON)
    mdk_lint_checks_summary(&checks, stderr);
  for(k = 0; k < res.n; k++)
    mdk_be_image_free(&res.ims[k]);
  for(k = 0; k < res.njobs; k++)
    mdk_arena_fini(&res.jobs[k].a);
  return rc;
}

/* Ctrl-C (or SIGTERM): the running steps are killed, the build stops and
 * cleans up; the exit status is 130, as a shell's */
static void on_signal(int sig)
{
  (void)sig;
  mdk_be_cancel();
  mdk_rt_kill_all();
}

static void catch_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_arena a;
  struct build_opts o;
  struct mdk_source *src = NULL;
  struct mdk_be_store store;
  struct mdk_be_build_opts bo;
  bool store_open = false;
  char *ctx_dir = NULL, *stdin_dir = NULL, *ssh_dir = NULL;
  int rc;

  mdk_arena_init(&a);
  memset(&o, 0, sizeof(o));
  memset(&bo, 0, sizeof(bo));
  o.a = &a;
  o.cmd = cmd;
  mdk_cli_input_init(&o.in);
  o.tags = MDK_VEC_INIT(const char *);
  o.outputs = MDK_VEC_INIT(const char *);
  o.context_files = MDK_VEC_INIT(const char *);
  o.labels = MDK_VEC_INIT(const char *);
  o.hosts = MDK_VEC_INIT(struct mdk_str);
  o.ulimits = MDK_VEC_INIT(struct mdk_str);
  o.secrets = MDK_VEC_INIT(struct mdk_be_secret);
  o.secret_env = MDK_VEC_INIT(struct mdk_be_secret_arg);
  o.ssh = MDK_VEC_INIT(struct mdk_be_ssh);
  o.contexts = MDK_VEC_INIT(struct mdk_fe_kv);
  o.platforms = MDK_VEC_INIT(const char *);
  o.color = mdk_cli_color();
  rc = read_args(cmd, argc, argv, &o);
  if(!rc)
    rc = parse_platforms(cmd, &a, &o);
  if(!rc && o.in.context && strcmp(o.in.context, "-") == 0) {
    const char *tmp = getenv("TMPDIR");
    rc = mdk_cli_input_is_list(&o.in)
       ? mdk_cli_usage_error(cmd, "a --command list takes --context-file "
                             "files, not a context on stdin")
       : mdk_cli_stdin_context(&a, &o.in, tmp && *tmp ? tmp : "/tmp",
                               &stdin_dir);
  }
  if(!rc)
    rc = layer_opts(cmd, &o, &bo);
  if(!rc)
    rc = mdk_cli_input_load(&a, &o.in, cmd, &src);
  if(rc)
    goto done;
  if(!mdk_cli_store_open(&store, MDK_BE_LOCK_SHARED)) {
    rc = 1;
    goto done;
  }
  store_open = true;
  {
    /* rootless with one ID: said before the build's own output starts */
    const char *n = mdk_rt_userns_notice();
    if(n)
      fprintf(stderr, "mdock: warning: %s\n", n);
  }
  /* a --command list takes a context directory as Modal's context_dir
   * (its .dockerignore applies as to any context), or --context-file files
   * staged into a context of their own */
  if(mdk_cli_input_is_list(&o.in) && (!o.in.context || o.context_files.len)) {
    if(o.in.context && strcmp(o.in.context, ".") != 0)
      fprintf(stderr, "mdock: warning: the context is the --context-file "
              "files; %s is not used\n", o.in.context);
    rc = stage_context_files(cmd, &a, &o, &store, &ctx_dir);
  }
  catch_signals();
  if(!rc && o.ssh.len) {
    /* key files: an ssh-agent of the build's own, its socket in the
     * store's tmp (removed with the build) */
    struct mdk_err e;
    char name[4300], tmpdir[4200];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", store.root);
    ssh_dir = mdk_arena_printf(&a, "%s", mdk_temp_name(name, sizeof(name),
                                                       tmpdir, "ssh"));
    if(mkdir(ssh_dir, 0700)) {
      fprintf(stderr, "mdock: error: cannot create %s\n", ssh_dir);
      ssh_dir = NULL;
      rc = 1;
    }
    else if(mdk_be_ssh_start(&a, o.ssh.items, o.ssh.len, ssh_dir, &e))
      rc = mdk_cli_fail(&e);
  }
  if(!rc)
    rc = build(&a, &o, src, &store, &bo);
  mdk_be_ssh_stop(o.ssh.items, o.ssh.len);
  if(mdk_be_canceled()) {
    fprintf(stderr, "mdock: build canceled\n");
    rc = 130;
  }
done:
  if(ctx_dir)
    mdk_rmtree(ctx_dir);
  if(stdin_dir)
    mdk_rmtree(stdin_dir);
  if(ssh_dir)
    mdk_rmtree(ssh_dir);
  if(store_open)
    mdk_be_store_close(&store);
  mdk_arena_fini(&a);
  return rc < 0 ? 0 : rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_build = {
  "build", "[options] [CONTEXT|-]",
  "build an image into the local store (no daemon)",
  "Builds a Dockerfile into an image in the local store: no daemon, every\n"
  "layer cached by its key, RUN steps in namespaces of their own.\n"
  "CONTEXT - reads stdin, as docker build does: a tar of the context\n"
  "(plain, gzip, bzip2, xz or zstd; -f names the Dockerfile in it), or\n"
  "a Dockerfile alone, built with an empty context.",
  opts,
  "  mdock build -t app .\n"
  "  mdock build -f ci.Dockerfile -t app:1 --target prod ctx/\n"
  "  mdock build -o type=oci-archive,dest=app.tar .\n"
  "  tar -cz -C app . | mdock build -t app -\n"
  "  mdock build -t tool - < Dockerfile\n"
  "  mdock build --secret id=npm,src=$HOME/.npmrc .\n"
  "  mdock build --from busybox --command 'COPY /app.py /srv/' \\\n"
  "    --context-file app.py=./app.py -t app\n",
  "SOURCE_DATE_EPOCH, when set, is the time recorded in the image and\n"
  "clamps every file time: the same input gives the same digests.\n"
  "The store is $MDOCK_ROOT (default /var/lib/mdock for root).\n"
  "exit status: 0 built, 1 the input or the build failed, 2 usage error\n",
  run, false, false
};
