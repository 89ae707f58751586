/* rules_run.c - the rules over RUN scripts (and ONBUILD RUN triggers):
 * package managers (apt-get, apk, pip, npm, gem, go, yum, dnf, microdnf,
 * zypper, yarn), shell pitfalls (pipefail, cd, sudo) and downloads.  Each
 * command is read with its tool's option table (lint/cmdline.c), so an
 * option's value is never taken for a package. */
#include <string.h>

#include "lint/cmdline.h"
#include "lint/internal.h"
#include "lint/shell_words.h"

/* one RUN being linted */
struct run {
  struct lint *l;
  const struct mdk_fe_cmd *c;       /* the RUN (or the ONBUILD trigger) */
  const struct mdk_fe_node *at;     /* where findings are reported */
  struct mdk_str script;
  struct mdk_sh_script s;
  const struct lint_stage *st;
  bool ships;                       /* its layer ends up in the target */
};

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
/* a tool's option table: short letters and long names taking a value */
#define TOOL(name, shorts, dashdash, ...) \
  static const char *const name##_long[] = {__VA_ARGS__, NULL}; \
  static const struct mdk_lint_tool name = {shorts, name##_long, dashdash}

TOOL(apt_tool, "toc", false,
     "target-release", "default-release", "option", "config-file");
TOOL(apk_tool, "tXp", false,
     "virtual", "repository", "root", "arch", "cache-dir", "keys-dir",
           "repositories-file", "wait", "timeout", "cache-max-age");
TOOL(pip_tool, "bcefirt", false,
     "abi", "build", "constraint", "editable", "extra-index-url",
               "find-links", "index-url", "implementation", "no-binary",
               "only-binary", "platform", "prefix", "progress-bar", "proxy",
               "python-version", "requirement", "root", "src", "target",
               "trusted-host", "upgrade-strategy", "root-user-action",
               "cache-dir", "log", "retries", "timeout", "exists-action",
               "cert", "client-cert", "global-option", "install-option",
               "config-settings", "report", "python", "python-version",
               "use-feature", "keyring-provider", "resume-retries");
TOOL(npm_tool, "wC", false,
     "loglevel", "registry", "prefix", "cache", "tag", "save-prefix",
          "userconfig", "globalconfig", "only", "omit", "include",
          "install-strategy", "workspace", "location", "before", "otp",
          "script-shell", "install-links", "fetch-retries", "fetch-timeout",
          "network-concurrency", "proxy", "https-proxy", "ca", "cafile");
TOOL(gem_tool, "vinsgbpP", true,
     "version", "install-dir", "bindir", "source", "platform",
                "build-root", "file", "document", "trust-policy", "target",
                "http-proxy", "config-file");
TOOL(go_tool, "op", false,
     "ldflags", "gcflags", "asmflags", "tags", "mod", "modfile",
          "pkgdir", "toolexec", "buildmode", "compiler", "gccgoflags",
          "installsuffix", "overlay", "pgo", "exec", "C");
/* yum, dnf, microdnf */
TOOL(rpm_tool, "cdexR", false, "installroot", "releasever", "setopt", "exclude", "enablerepo",
             "disablerepo", "repo", "repoid", "config", "downloaddir",
             "destdir", "forcearch", "color", "rpmverbosity", "repofrompath",
             "debuglevel", "errorlevel", "excludepkgs", "disableexcludes",
             "disableplugin", "enableplugin", "setopt", "comment",
             "advisory", "bz", "cve", "sec-severity", "secseverity");
TOOL(zypper_tool, "RcrtD", false,
     "root", "config", "reposd-dir", "cache-dir", "raw-cache-dir",
             "solv-cache-dir", "pkg-cache-dir", "repo", "from", "type",
             "auto-agree-with-product-licenses", "download", "plus-repo",
             "plus-content", "oldpackage");
static const struct mdk_lint_tool plain_tool = {NULL, NULL, false};

/* Where a script word is in the source, when the script is the RUN's own
 * text (not a heredoc body); else the instruction. */
static struct mdk_loc word_loc(const struct run *r, const struct mdk_sh_word *w)
{
  const struct mdk_fe_cmd *c = r->c;
  const struct mdk_fe_arg *a0 = c->nargs ? &c->args[0] : NULL;
  if(a0 && w->raw.ptr >= r->script.ptr && w->raw.ptr + w->raw.len <=
     r->script.ptr + a0->val.len && c->node->line)
    return mdk_fe_line_loc(c->node->line,
                           a0->off + (uint32_t)(w->raw.ptr - r->script.ptr),
                           (uint32_t)w->raw.len);
  return mdk_fe_node_loc(r->at);
}

/* Where a command's program word is: found only for a finding (most
 * commands have none). */
static struct mdk_loc prog_loc(const struct run *r, const struct mdk_sh_cmd *sc,
                               size_t w)
{
  return w < sc->n ? word_loc(r, &sc->w[w]) : mdk_fe_node_loc(r->at);
}

static void report(struct run *r, enum mdk_fe_rule rule, struct mdk_loc loc,
                   const char *msg)
{
  /* every message here is a literal or made in the lint's arena */
  lint_report_msg(r->l, rule, r->at, loc, r->at->start_line, msg);
}

/* a cache or tmpfs mount over dir (or one of its parents) keeps what the
 * tool writes there out of the layer */
static bool mounted(const struct run *r, const char *dir)
{
  size_t i;
  for(i = 0; i < r->c->nmounts; i++) {
    bool found;
    const struct mdk_fe_mount *m = &r->c->mounts[i];
    struct mdk_str t = mdk_fe_mount_get(m, "target", &found);
    if(!found || (m->type != MDK_FE_MOUNT_CACHE &&
                  m->type != MDK_FE_MOUNT_TMPFS))
      continue;
    while(t.len > 1 && t.ptr[t.len - 1] == '/')
      t.len--;
    if(strlen(dir) >= t.len && memcmp(dir, t.ptr, t.len) == 0 &&
       (dir[t.len] == '\0' || dir[t.len] == '/' || mdk_str_eq_c(t, "/")))
      return true;
  }
  return false;
}

/* a cache or tmpfs mount at dir or below it (hadolint's test for the apt
 * directories: /var/lib/apt alone leaves /var/cache/apt's archives) */
static bool mount_under(const struct run *r, const char *dir)
{
  size_t i;
  for(i = 0; i < r->c->nmounts; i++) {
    bool found;
    const struct mdk_fe_mount *m = &r->c->mounts[i];
    struct mdk_str t = mdk_fe_mount_get(m, "target", &found);
    if(found && (m->type == MDK_FE_MOUNT_CACHE ||
                 m->type == MDK_FE_MOUNT_TMPFS) &&
       mdk_str_has_prefix(t, dir))
      return true;
  }
  return false;
}

/* the command's program name without its directory */
static struct mdk_str prog(const struct mdk_sh_cmd *sc, size_t *at)
{
  struct mdk_str n = mdk_sh_cmd_name(sc, at);
  const char *slash = n.ptr ? memrchr(n.ptr, '/', n.len) : NULL;
  if(slash) {
    n.len -= (size_t)(slash + 1 - n.ptr);
    n.ptr = slash + 1;
  }
  return n;
}

/* where in the script (command index) a tool last installed and last
 * cleaned up, -1 for never */
struct found {
  long install, clean;
};

static void unpinned(struct run *r, const struct mdk_sh_cmd *sc,
                     const struct mdk_sh_word *w, enum mdk_fe_rule rule,
                     const char *what, const char *how)
{
  lint_report(r->l, rule, r->at, word_loc(r, w), r->at->start_line,
              "%s %.*s is not pinned (%s)", what, MDK_STR_FMT(w->text), how);
  (void)sc;
}

/* an operand that cannot be judged: a variable, a command substitution */
static bool opaque(struct mdk_str p)
{
  return !p.len || mdk_str_index(p, '$') >= 0 || mdk_str_index(p, '`') >= 0;
}

/* Reports each operand from `from` on that is not pinned by `fixed`, with
 * how to pin it: NAME<sep><version><extra>. */
static void check_pins(struct run *r, const struct mdk_sh_cmd *sc,
                       const struct mdk_lint_cmdline *cl, size_t from,
                       enum mdk_fe_rule rule, const char *what,
                       bool (*fixed)(struct mdk_str), const char *sep,
                       const char *extra)
{
  size_t i;
  for(i = from; i < cl->nops; i++) {
    const struct mdk_sh_word *w = &sc->w[cl->ops[i]];
    struct mdk_str p = w->text;
    if(opaque(p) || fixed(p))
      continue;
    lint_report(r->l, rule, r->at, word_loc(r, w), r->at->start_line,
                "%s %.*s is not pinned (write %.*s%s<version>%s)", what,
                MDK_STR_FMT(p), MDK_STR_FMT(p), sep, extra);
  }
}

static bool apt_fixed(struct mdk_str p)
{
  return mdk_str_index(p, '=') >= 0 || mdk_str_index(p, '/') >= 0 ||
         lint_ends_with(p, ".deb");
}

static bool apk_fixed(struct mdk_str p)
{
  return mdk_str_index(p, '=') >= 0 || mdk_str_index(p, '~') >= 0 ||
         lint_ends_with(p, ".apk") || mdk_str_index(p, '/') >= 0;
}

static bool gem_fixed(struct mdk_str p)
{
  return mdk_str_index(p, ':') >= 0 || lint_ends_with(p, ".gem") ||
         mdk_str_index(p, '/') >= 0;
}

static bool zypper_fixed(struct mdk_str p)
{
  return mdk_str_index(p, '=') >= 0 || mdk_str_index(p, '>') >= 0 ||
         mdk_str_index(p, '<') >= 0 || lint_ends_with(p, ".rpm") ||
         mdk_str_index(p, '/') >= 0;
}

/* --- apt-get ------------------------------------------------------------ */

/* apt-get, and aptitude (its -R / --without-recommends turn recommends
 * off; the rest reads the same) */
static void apt_get(struct run *r, const struct mdk_sh_cmd *sc, size_t at,
                    long idx, struct found *upd, struct found *fl)
{
  struct mdk_lint_cmdline cl;
  struct mdk_str sub, tool = prog(sc, NULL);
  size_t i;
  int quiet = 0;
  bool aptitude = mdk_str_eq_c(tool, "aptitude");
  mdk_lint_cmdline(r->l->a, sc, at + 1, &apt_tool, &cl);
  if(!cl.nops)
    return;
  sub = mdk_lint_op(sc, &cl, 0);
  if(mdk_str_eq_c(sub, "update"))
    upd->install = idx;
  /* apt 2.7's dist-clean removes the lists too */
  if(mdk_str_eq_c(sub, "dist-clean"))
    upd->clean = idx;
  if(lint_is_any(sub, L("upgrade", "dist-upgrade", "full-upgrade")))
    report(r, MDK_LINT_APT_UPGRADE, word_loc(r, &sc->w[cl.ops[0]]),
           mdk_arena_printf(r->l->a, "%.*s %.*s makes the image depend "
                            "on the day it is built", MDK_STR_FMT(tool),
                            MDK_STR_FMT(sub)));
  if(!lint_is_any(sub, L("install", "upgrade", "dist-upgrade", "full-upgrade",
                    "reinstall", "remove", "purge", "autoremove",
                    "build-dep", "source")))
    return;
  for(i = 0; i < cl.nopts; i++)
    if(cl.opts[i].shrt == 'q' || mdk_str_eq_c(cl.opts[i].name, "quiet")) {
      if(cl.opts[i].has_val && cl.opts[i].val.len &&
         cl.opts[i].val.ptr[0] >= '2' && cl.opts[i].val.ptr[0] <= '9')
        quiet += 2;
      else
        quiet++;
    }
  if(!mdk_lint_has_opt(&cl, 'y', "yes") &&
     !mdk_lint_has_opt(&cl, 0, "assume-yes") && quiet < 2 &&
     !lint_contains(mdk_lint_opt_val(&cl, 'o', "option"), "Assume-Yes=true") &&
     mdk_str_eq_c(sub, "install"))
    report(r, MDK_LINT_APT_NO_Y, word_loc(r, &sc->w[at]),
           mdk_arena_printf(r->l->a, "%.*s install without -y waits for an "
                            "answer", MDK_STR_FMT(tool)));
  if(!mdk_str_eq_c(sub, "install"))
    return;
  fl->install = idx;
  if(!mdk_lint_has_opt(&cl, 0, "no-install-recommends") &&
     !(aptitude && mdk_lint_has_opt(&cl, 'R', "without-recommends"))) {
    bool off = false;
    for(i = 0; i < cl.nopts; i++)
      off |= lint_contains(cl.opts[i].val, "Install-Recommends=false") ||
             lint_contains(cl.opts[i].val, "Install-Recommends=0") ||
             lint_contains(cl.opts[i].val, "Install-Recommends \"false\"");
    if(!off)
      report(r, MDK_LINT_APT_RECOMMENDS, word_loc(r, &sc->w[at]),
             mdk_arena_printf(r->l->a, "%.*s install without %s",
                              MDK_STR_FMT(tool), aptitude
                              ? "--without-recommends (-R)"
                              : "--no-install-recommends"));
  }
  check_pins(r, sc, &cl, 1, MDK_LINT_APT_PIN, "apt package", apt_fixed, "=",
             "");
}

/* --- apk ---------------------------------------------------------------- */

static void apk(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  struct mdk_lint_cmdline cl;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &apk_tool, &cl);
  if(!cl.nops || !mdk_str_eq_c(mdk_lint_op(sc, &cl, 0), "add"))
    return;
  if(!mdk_lint_has_opt(&cl, 0, "no-cache") && !mounted(r, "/var/cache/apk")
     && !mounted(r, "/etc/apk/cache") && r->ships)
    report(r, MDK_LINT_APK_CACHE, word_loc(r, &sc->w[at]),
           "apk add without --no-cache keeps the package index in the layer");
  check_pins(r, sc, &cl, 1, MDK_LINT_APK_PIN, "apk package", apk_fixed, "=",
             "");
}

/* --- pip ---------------------------------------------------------------- */

/* PIP_NO_CACHE_DIR=<truthy> set in the script: a prefix, export or env */
static bool script_sets_no_cache(struct mdk_str script)
{
  const char *p = script.ptr, *e = script.ptr + script.len;
  while(p < e && (p = memmem(p, (size_t)(e - p), "PIP_NO_CACHE_DIR=", 17))) {
    const char *v = p + 17, *ve = v;
    while(ve < e && (unsigned char)*ve > ' ' && *ve != ';' && *ve != '&')
      ve++;
    if(lint_truthy(mdk_str_make(v, (size_t)(ve - v))))
      return true;
    p = v;
  }
  return false;
}

static bool pip_version_fixed(struct mdk_str p)
{
  static const char *const vcs[] = {"git+", "git:", "hg+", "svn+", "svn:",
                                    "bzr+", NULL};
  size_t i;
  bool is_vcs = false;
  for(i = 0; vcs[i]; i++)
    is_vcs |= mdk_str_has_prefix(p, vcs[i]);
  if(is_vcs)
    return lint_contains(mdk_str_make(p.ptr + 4, p.len - 4), "@");
  return lint_contains(p, "==") || lint_contains(p, ">=") || lint_contains(p, "<=") ||
         lint_contains(p, ">") || lint_contains(p, "<") || lint_contains(p, "!=") ||
         lint_contains(p, "~=") || lint_ends_with(p, ".whl") || lint_ends_with(p, ".tar.gz")
         || lint_ends_with(p, ".zip") || mdk_str_index(p, '/') >= 0 ||
         mdk_str_has_prefix(p, ".") || lint_contains(p, "://");
}

static void pip(struct run *r, const struct mdk_sh_cmd *sc, size_t at,
                struct mdk_str name, size_t from)
{
  struct mdk_lint_cmdline cl;
  size_t i;
  bool wrapper = mdk_str_has_prefix(name, "pipx") ||
                 mdk_str_has_prefix(name, "pipenv");
  mdk_lint_cmdline(r->l->a, sc, from, &pip_tool, &cl);
  if(!cl.nops || !mdk_str_eq_c(mdk_lint_op(sc, &cl, 0), "install"))
    return;
  if(!wrapper && !mdk_lint_has_opt(&cl, 0, "no-cache-dir") &&
     !r->st->pip_no_cache && !script_sets_no_cache(r->script) &&
     !mounted(r, "/root/.cache/pip") && r->ships)
    report(r, MDK_LINT_PIP_CACHE, word_loc(r, &sc->w[at]),
           "pip install without --no-cache-dir keeps pip's cache in the "
           "layer");
  /* a requirements or constraints file pins, and so does the project */
  if(mdk_lint_has_opt(&cl, 'r', "requirement") ||
     mdk_lint_has_opt(&cl, 'c', "constraint"))
    return;
  for(i = 1; i < cl.nops; i++)
    if(mdk_str_eq_c(mdk_lint_op(sc, &cl, i), "."))
      return;
  check_pins(r, sc, &cl, 1, MDK_LINT_PIP_PIN, "pip package",
             pip_version_fixed, "==", " or use a requirements file");
}

/* --- npm ---------------------------------------------------------------- */

static bool npm_version_fixed(struct mdk_str p)
{
  if(mdk_str_has_prefix(p, "git:") || mdk_str_has_prefix(p, "git+") ||
     mdk_str_has_prefix(p, "github:") || mdk_str_has_prefix(p, "gitlab:") ||
     mdk_str_has_prefix(p, "bitbucket:") || mdk_str_has_prefix(p, "http"))
    return mdk_str_index(p, '#') >= 0 || lint_ends_with(p, ".tgz") ||
           lint_ends_with(p, ".tar.gz");
  if(lint_ends_with(p, ".tar") || lint_ends_with(p, ".tar.gz") || lint_ends_with(p, ".tgz")
     || mdk_str_has_prefix(p, "/") || mdk_str_has_prefix(p, "./") ||
     mdk_str_has_prefix(p, "../") || mdk_str_has_prefix(p, "~/") ||
     mdk_str_has_prefix(p, "file:") || mdk_str_eq_c(p, "."))
    return true;
  if(p.len && p.ptr[0] == '@') {         /* @scope/name[@version] */
    long slash = mdk_str_index(p, '/');
    if(slash < 0)
      return false;
    p = mdk_str_make(p.ptr + slash, p.len - (size_t)slash);
  }
  else if(mdk_str_index(p, '/') >= 0) {
    /* user/repo is a GitHub shorthand: a commit after '#' pins it */
    return mdk_str_index(p, '#') >= 0;
  }
  return mdk_str_index(p, '@') >= 0;
}

static void npm(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  struct mdk_lint_cmdline cl;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &npm_tool, &cl);
  if(!cl.nops || !lint_is_any(mdk_lint_op(sc, &cl, 0),
                         L("install", "i", "add", "in", "ins", "inst",
                           "insta", "instal", "isnt", "isnta", "isntal",
                           "isntall")))
    return;
  check_pins(r, sc, &cl, 1, MDK_LINT_NPM_PIN, "npm package",
             npm_version_fixed, "@", "");
}

/* --- gem, go ------------------------------------------------------------ */

static void gem(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  struct mdk_lint_cmdline cl;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &gem_tool, &cl);
  if(!cl.nops || !lint_is_any(mdk_lint_op(sc, &cl, 0), L("install", "i")) ||
     mdk_lint_has_opt(&cl, 'v', "version"))
    return;
  check_pins(r, sc, &cl, 1, MDK_LINT_GEM_PIN, "gem", gem_fixed, ":",
             " or -v");
}

static void go(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  struct mdk_lint_cmdline cl;
  struct mdk_str sub;
  size_t i;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &go_tool, &cl);
  if(!cl.nops)
    return;
  sub = mdk_lint_op(sc, &cl, 0);
  if(!lint_is_any(sub, L("install", "get", "run")))
    return;
  for(i = 1; i < cl.nops; i++) {
    struct mdk_str p = mdk_lint_op(sc, &cl, i);
    long atc = mdk_str_index(p, '@');
    if(mdk_str_eq_c(sub, "run") && i > 1)
      break;                    /* the program's own arguments */
    if(opaque(p) || mdk_str_has_prefix(p, ".") || mdk_str_has_prefix(p, "/")
       || lint_ends_with(p, ".go") || lint_is_any(p, L("all", "std", "cmd", "tool")) ||
       (mdk_str_index(p, '/') < 0 && mdk_str_index(p, '.') < 0 && atc < 0))
      continue;
    if(atc >= 0 && !mdk_str_eq_c(mdk_str_make(p.ptr + atc + 1,
                                              p.len - (size_t)atc - 1),
                                 "latest"))
      continue;
    unpinned(r, sc, &sc->w[cl.ops[i]], MDK_LINT_GO_INSTALL_PIN, "go module",
             mdk_arena_printf(r->l->a, "write %.*s@<version>",
                              MDK_STR_FMT(atc >= 0 ? mdk_str_make(
                                p.ptr, (size_t)atc) : p)));
  }
}

/* --- yum, dnf, microdnf, zypper ----------------------------------------- */

/* name-version[-release][.arch]: a '-' followed by parts of version
 * characters, one of which starts with a digit */
static bool rpm_version_fixed(struct mdk_str p)
{
  size_t i, start;
  bool digit = false, any = false;
  if(lint_ends_with(p, ".rpm") || mdk_str_index(p, '/') >= 0)
    return true;
  start = 0;
  for(i = 0; i < p.len && p.ptr[i] != '-'; i++)
    ;
  if(i == p.len)
    return false;
  for(start = i + 1; start <= p.len;) {
    size_t e = start;
    while(e < p.len && p.ptr[e] != '-')
      e++;
    if(e > start && p.ptr[start] >= '0' && p.ptr[start] <= '9')
      digit = true;
    for(i = start; i < e; i++) {
      char c = p.ptr[i];
      if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || strchr(".~^_:+*", c)))
        return false;
    }
    any = true;
    start = e + 1;
  }
  return any && digit;
}

static const char *const rpm_installs[] = {
  "install", "in", "reinstall", "rei", "localinstall", "groupinstall",
  "upgrade", "up", "update", "upgrade-minimal", "up-min", "downgrade", "dg",
  "distro-sync", "dsync", "swap", NULL};
static const char *const rpm_prompts[] = {
  "install", "in", "reinstall", "rei", "localinstall", "groupinstall",
  "upgrade", "up", "update", "upgrade-minimal", "up-min", "downgrade", "dg",
  "distro-sync", "dsync", "remove", "rm", "erase", "autoremove", "swap",
  "group", "module", "groupremove", "groupupdate", NULL};

static void rpm(struct run *r, const struct mdk_sh_cmd *sc, size_t at,
                struct mdk_str name, long idx, struct found *f)
{
  struct mdk_lint_cmdline cl;
  struct mdk_str sub;
  size_t i, first = 1;
  bool yum = mdk_str_eq_c(name, "yum");
  bool module = false;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &rpm_tool, &cl);
  if(!cl.nops)
    return;
  sub = mdk_lint_op(sc, &cl, 0);
  if(mdk_str_eq_c(sub, "clean") && cl.nops > 1 &&
     mdk_str_eq_c(mdk_lint_op(sc, &cl, 1), "all")) {
    f->clean = idx;
    return;
  }
  if(lint_is_any(sub, L("module", "group")) && cl.nops > 1) {
    module = mdk_str_eq_c(sub, "module");
    if(!lint_is_any(mdk_lint_op(sc, &cl, 1), L("install", "update", "remove",
                                           "upgrade", "enable", "reset",
                                           "switch-to")))
      return;
    if(!module && mdk_str_eq_c(mdk_lint_op(sc, &cl, 1), "install"))
      f->install = idx;
    first = 2;
  }
  else if(!lint_is_any(sub, rpm_prompts)) {
    return;
  }
  if(!mdk_lint_has_opt(&cl, 'y', "assumeyes") &&
     !mdk_lint_has_opt(&cl, 0, "yes"))
    report(r, yum ? MDK_LINT_YUM_NO_Y : MDK_LINT_DNF_NO_Y,
           word_loc(r, &sc->w[at]),
           mdk_arena_printf(r->l->a, "%.*s %.*s without -y waits for an "
                            "answer", MDK_STR_FMT(name), MDK_STR_FMT(sub)));
  if(first == 1 && lint_is_any(sub, rpm_installs))
    f->install = idx;
  if(!lint_is_any(sub, L("install", "in", "reinstall", "rei", "localinstall")) &&
     !(module && mdk_str_eq_c(mdk_lint_op(sc, &cl, 1), "install")))
    return;
  if(module)
    f->install = idx;
  for(i = first; i < cl.nops; i++) {
    struct mdk_str p = mdk_lint_op(sc, &cl, i);
    if(opaque(p) || (module ? mdk_str_index(p, ':') >= 0
                            : rpm_version_fixed(p)))
      continue;
    unpinned(r, sc, &sc->w[cl.ops[i]],
             yum ? MDK_LINT_YUM_PIN : MDK_LINT_DNF_PIN,
             module ? "module" : yum ? "yum package" : "dnf package",
             module ? mdk_arena_printf(r->l->a, "write %.*s:<stream>",
                                       MDK_STR_FMT(p))
                    : mdk_arena_printf(r->l->a, "write %.*s-<version>",
                                       MDK_STR_FMT(p)));
  }
}

static void zypper(struct run *r, const struct mdk_sh_cmd *sc, size_t at,
                   long idx, struct found *f)
{
  struct mdk_lint_cmdline cl;
  struct mdk_str sub;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &zypper_tool, &cl);
  if(!cl.nops)
    return;
  sub = mdk_lint_op(sc, &cl, 0);
  if(lint_is_any(sub, L("clean", "cc"))) {
    f->clean = idx;
    return;
  }
  if(lint_is_any(sub, L("dist-upgrade", "dup")))
    report(r, MDK_LINT_ZYPPER_DIST_UPGRADE, word_loc(r, &sc->w[cl.ops[0]]),
           "zypper dist-upgrade makes the image depend on the day it is "
           "built");
  if(!lint_is_any(sub, L("install", "in", "remove", "rm", "source-install", "si",
                    "patch", "update", "up", "dist-upgrade", "dup",
                    "install-new-recommends", "inr")))
    return;
  if(!mdk_lint_has_opt(&cl, 'n', "non-interactive") &&
     !mdk_lint_has_opt(&cl, 'y', "no-confirm"))
    report(r, MDK_LINT_ZYPPER_NO_Y, word_loc(r, &sc->w[at]),
           mdk_arena_printf(r->l->a, "zypper %.*s without -n (or -y) waits "
                            "for an answer", MDK_STR_FMT(sub)));
  if(!lint_is_any(sub, L("install", "in")))
    return;
  f->install = idx;
  check_pins(r, sc, &cl, 1, MDK_LINT_ZYPPER_PIN, "zypper package",
             zypper_fixed, "=", "");
}

/* --- downloads ---------------------------------------------------------- */

TOOL(wget_tool, "OoaPetTwUQ", false,
     "output-document", "output-file", "append-output",
                  "directory-prefix", "execute", "tries", "timeout", "wait",
                  "user-agent", "quota", "header", "user", "password",
                  "post-data", "referer", "load-cookies", "save-cookies");

static void wget(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  struct mdk_lint_cmdline cl;
  size_t i;
  bool quiet = false;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &wget_tool, &cl);
  for(i = 0; i < cl.nopts; i++) {
    const struct mdk_lint_opt *o = &cl.opts[i];
    quiet |= o->shrt == 'q' || o->shrt == 'o' || o->shrt == 'a' ||
             lint_is_any(o->name, L("quiet", "no-verbose", "output-file",
                               "append-output", "progress"));
  }
  /* -nv is one short option of two letters */
  quiet |= mdk_sh_has_word(sc, "-nv");
  if(!quiet)
    report(r, MDK_LINT_WGET_PROGRESS, word_loc(r, &sc->w[at]),
           "wget without --progress=dot:giga (or -q, -nv, -o log) fills the "
           "build log");
}

static const char *const pointless[] = {"ssh", "vim", "shutdown", "service",
                                        "ps", "free", "top", "kill", "mount",
                                        "ifconfig", NULL};

static void useradd(struct run *r, const struct mdk_sh_cmd *sc, size_t at)
{
  TOOL(t, "ugGdskKcepbZ", false,
     "uid", "gid",
    "groups", "home-dir", "shell", "key", "comment", "expiredate",
    "inactive", "password", "base-dir", "selinux-user", "root", "prefix");
  struct mdk_lint_cmdline cl;
  struct mdk_str u;
  mdk_lint_cmdline(r->l->a, sc, at + 1, &t, &cl);
  if(mdk_lint_has_opt(&cl, 'l', "no-log-init"))
    return;
  u = mdk_lint_opt_val(&cl, 'u', "uid");
  /* hadolint's bound: six digits and more bloat /var/log/lastlog */
  if(u.len > 5 && u.len < 12 &&
     strspn(mdk_arena_strndup(r->l->a, u.ptr, u.len), "0123456789") == u.len)
    report(r, MDK_LINT_USERADD_HIGH_UID, word_loc(r, &sc->w[at]),
           mdk_arena_printf(r->l->a, "useradd -u %.*s without -l "
                            "(--no-log-init) writes a huge sparse "
                            "/var/log/lastlog", MDK_STR_FMT(u)));
}

/* the script of a RUN: its text and heredoc bodies */
static struct mdk_str run_script(struct lint *l, const struct mdk_fe_cmd *c)
{
  struct mdk_buf b;
  struct mdk_str s;
  size_t i;
  if(!c->node->nheredocs)       /* most RUNs: the text itself, no copy */
    return c->args[0].val;
  mdk_buf_init(&b, (size_t)1 << 26);
  (void)mdk_buf_append(&b, c->args[0].val.ptr, c->args[0].val.len);
  for(i = 0; i < c->node->nheredocs; i++) {
    (void)mdk_buf_putc(&b, '\n');
    (void)mdk_buf_append(&b, c->node->heredocs[i].content.ptr,
                         c->node->heredocs[i].content.len);
  }
  s = mdk_str_dup(l->a, mdk_buf_str(&b));
  mdk_buf_free(&b);
  return s;
}

static bool rm_of(const struct mdk_sh_cmd *sc, size_t at, const char *prefix)
{
  size_t i;
  for(i = at + 1; i < sc->n; i++)
    if(mdk_str_has_prefix(sc->w[i].text, prefix))
      return true;
  return false;
}

void lint_run_rules(struct lint *l, const struct mdk_fe_cmd *c,
                    const struct mdk_fe_node *at, struct lint_stage *st,
                    bool ships)
{
  struct run r;
  size_t i;
  struct found apt_upd = {-1, -1}, apt_inst = {-1, -1}, yumf = {-1, -1},
               dnff = {-1, -1}, mdnff = {-1, -1}, zyp = {-1, -1},
               yarn = {-1, -1};
  bool pipefail = st->pipefail, uses_wget = false, uses_curl = false;

  if(c->json || !c->nargs || st->nonposix)
    return;
  memset(&r, 0, sizeof(r));
  r.l = l;
  r.c = c;
  r.at = at;
  r.st = st;
  r.ships = ships;
  r.script = run_script(l, c);
  mdk_sh_parse(l->a, r.script, &r.s);
  st->last_run_cmds = r.s.n;

  for(i = 0; i < r.s.n; i++) {
    const struct mdk_sh_cmd *sc = &r.s.c[i];
    size_t w;
    struct mdk_str name = prog(sc, &w);
    long idx = (long)i;
    if(!name.len)
      continue;
    if(sc->n && mdk_str_eq_c(sc->w[0].text, "sudo"))
      report(&r, MDK_LINT_SUDO, word_loc(&r, &sc->w[0]),
             "sudo in RUN: the build runs as the stage's USER; switch users "
             "with USER instead");
    if(mdk_str_eq_c(name, "set") && mdk_sh_has_word(sc, "pipefail"))
      pipefail = true;
    if(sc->piped && !pipefail)
      report(&r, MDK_LINT_PIPEFAIL, prog_loc(&r, sc, w), mdk_arena_printf(
               l->a, "a pipe without pipefail: a failing %.*s is ignored "
               "(use SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or "
               "set -o pipefail)", MDK_STR_FMT(name)));
    if(lint_is_any(name, L("curl", "wget")) && sc->piped && i + 1 < r.s.n) {
      size_t w2;
      struct mdk_str nx = prog(&r.s.c[i + 1], &w2);
      if(lint_is_any(nx, L("sh", "bash", "zsh", "ash", "dash", "python",
                      "python3", "perl")))
        report(&r, MDK_LINT_CURL_PIPE_SH, prog_loc(&r, sc, w), mdk_arena_printf(
                 l->a, "%.*s piped into %.*s runs unverified code: download, "
                 "verify a checksum, then run", MDK_STR_FMT(name),
                 MDK_STR_FMT(nx)));
    }
    if(mdk_str_eq_c(name, "wget")) {
      uses_wget = true;
      wget(&r, sc, w);
    }
    if(mdk_str_eq_c(name, "curl"))
      uses_curl = true;
    if(mdk_str_eq_c(name, "cd"))
      report(&r, MDK_LINT_CD_IN_RUN, prog_loc(&r, sc, w),
             "cd in RUN only lasts for this RUN: use WORKDIR");
    if(lint_is_any(name, pointless))
      report(&r, MDK_LINT_POINTLESS_CMD, prog_loc(&r, sc, w), mdk_arena_printf(
               l->a, "%.*s makes no sense while building an image",
               MDK_STR_FMT(name)));
    if(mdk_str_eq_c(name, "apt"))
      report(&r, MDK_LINT_APT_NOT_APT_GET, prog_loc(&r, sc, w),
             "apt has no stable command line interface: use apt-get or "
             "apt-cache");
    if(mdk_str_eq_c(name, "apt-get") || mdk_str_eq_c(name, "aptitude"))
      apt_get(&r, sc, w, idx, &apt_upd, &apt_inst);
    if(mdk_str_eq_c(name, "rm") &&
       (rm_of(sc, w, "/var/lib/apt/lists") || rm_of(sc, w, "/var/lib/apt/*")))
      apt_upd.clean = idx;
    if(mdk_str_eq_c(name, "rm") && rm_of(sc, w, "/var/cache/yum"))
      yumf.clean = dnff.clean = mdnff.clean = idx;
    if(mdk_str_eq_c(name, "rm") && rm_of(sc, w, "/var/cache/dnf"))
      dnff.clean = mdnff.clean = idx;
    if(mdk_str_eq_c(name, "rm") && rm_of(sc, w, "/var/cache/zypp"))
      zyp.clean = idx;
    if(mdk_str_eq_c(name, "apk"))
      apk(&r, sc, w);
    if(mdk_str_has_prefix(name, "pip"))
      pip(&r, sc, w, name, w + 1);
    if(mdk_str_has_prefix(name, "python") && w + 2 < sc->n &&
       mdk_str_eq_c(sc->w[w + 1].text, "-m") &&
       mdk_str_has_prefix(sc->w[w + 2].text, "pip"))
      pip(&r, sc, w, sc->w[w + 2].text, w + 3);
    if(mdk_str_eq_c(name, "npm"))
      npm(&r, sc, w);
    if(mdk_str_eq_c(name, "gem"))
      gem(&r, sc, w);
    if(mdk_str_eq_c(name, "go"))
      go(&r, sc, w);
    if(mdk_str_eq_c(name, "yum"))
      rpm(&r, sc, w, name, idx, &yumf);
    /* each cleans its own cache: microdnf clean does not count for dnf */
    if(mdk_str_eq_c(name, "dnf"))
      rpm(&r, sc, w, name, idx, &dnff);
    if(mdk_str_eq_c(name, "microdnf"))
      rpm(&r, sc, w, name, idx, &mdnff);
    if(mdk_str_eq_c(name, "zypper"))
      zypper(&r, sc, w, idx, &zyp);
    if(mdk_str_eq_c(name, "yarn")) {
      struct mdk_lint_cmdline cl;
      mdk_lint_cmdline(l->a, sc, w + 1, &plain_tool, &cl);
      /* bare `yarn` installs; `yarn --version` does not */
      if((!cl.nops && !cl.nopts) ||
         (cl.nops && (mdk_str_eq_c(mdk_lint_op(sc, &cl, 0), "install") ||
                      mdk_str_eq_c(mdk_lint_op(sc, &cl, 0), "add"))))
        yarn.install = idx;
      if(cl.nops > 1 && mdk_str_eq_c(mdk_lint_op(sc, &cl, 0), "cache") &&
         mdk_str_eq_c(mdk_lint_op(sc, &cl, 1), "clean"))
        yarn.clean = idx;
    }
    if(mdk_str_eq_c(name, "useradd"))
      useradd(&r, sc, w);
    if(mdk_str_eq_c(name, "ln") && sc->n >= 2 &&
       mdk_str_eq_c(sc->w[sc->n - 1].text, "/bin/sh"))
      report(&r, MDK_LINT_LN_BIN_SH, prog_loc(&r, sc, w),
             "linking over /bin/sh: set the shell with SHELL instead");
  }

  /* what the RUN leaves behind, when the layer ships: a clean must come
   * after the install it cleans up after */
  if(ships) {
    if(apt_upd.install >= 0 && apt_upd.clean < apt_upd.install &&
       !mount_under(&r, "/var/lib/apt/lists") &&
       !(mount_under(&r, "/var/lib/apt") && mount_under(&r, "/var/cache/apt")))
      report(&r, MDK_LINT_APT_LISTS, mdk_fe_node_loc(at),
             "apt-get update without rm -rf /var/lib/apt/lists/* after it "
             "in the same RUN keeps the lists in the layer");
    if(yumf.install >= 0 && yumf.clean < yumf.install &&
       !mounted(&r, "/var/cache/yum"))
      report(&r, MDK_LINT_YUM_CLEAN, mdk_fe_node_loc(at),
             "yum install without yum clean all after it keeps the package "
             "cache in the layer");
    if(((dnff.install >= 0 && dnff.clean < dnff.install) ||
        (mdnff.install >= 0 && mdnff.clean < mdnff.install)) &&
       !mounted(&r, "/var/cache/dnf") && !mounted(&r, "/var/cache/yum"))
      report(&r, MDK_LINT_DNF_CLEAN, mdk_fe_node_loc(at),
             "dnf install without dnf clean all after it keeps the package "
             "cache in the layer");
    if(zyp.install >= 0 && zyp.clean < zyp.install &&
       !mounted(&r, "/var/cache/zypp"))
      report(&r, MDK_LINT_ZYPPER_CLEAN, mdk_fe_node_loc(at),
             "zypper install without zypper clean after it keeps the "
             "package cache in the layer");
    if(yarn.install >= 0 && yarn.clean < yarn.install &&
       !mounted(&r, "/usr/local/share/.cache/yarn") &&
       !mounted(&r, "/root/.cache/yarn") && !mounted(&r, "/root/.yarn"))
      report(&r, MDK_LINT_YARN_CACHE, mdk_fe_node_loc(at),
             "yarn install without yarn cache clean after it keeps the cache "
             "in the layer");
  }
  /* wget and curl in one stage: the instruction that completes the pair */
  if((uses_wget || uses_curl) &&
     ((uses_wget && uses_curl) || (uses_wget && st->curl) ||
      (uses_curl && st->wget)) && ships)
    report(&r, MDK_LINT_WGET_AND_CURL, mdk_fe_node_loc(at),
           "both wget and curl are used in this stage: pick one");
  st->wget |= uses_wget;
  st->curl |= uses_curl;
}
