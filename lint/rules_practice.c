/* lint_practice.c - mdock's best-practice rules (MD...): package manager
 * hygiene, shell pitfalls in RUN, base image pinning, ADD vs COPY... RUN
 * scripts are read as shell (frontend/shell_words.c). */
#include <string.h>

#include "lint/internal.h"
#include "lint/shell_words.h"

static struct mdk_loc kw(const struct mdk_fe_node *n)
{
  return mdk_fe_node_loc(n);
}

/* Where a script word is in the source, when the script is the RUN's own
 * text (not a heredoc body). */
static struct mdk_loc word_loc(const struct mdk_fe_cmd *c,
                               struct mdk_str script,
                               const struct mdk_sh_word *w)
{
  const struct mdk_fe_arg *a0 = c->nargs ? &c->args[0] : NULL;
  if(a0 && w->raw.ptr >= script.ptr && w->raw.ptr + w->raw.len <=
     script.ptr + a0->val.len)
    return mdk_fe_line_loc(c->node->line,
                           a0->off + (uint32_t)(w->raw.ptr - script.ptr),
                           (uint32_t)w->raw.len);
  return kw(c->node);
}

static bool is_flag(struct mdk_str w)
{
  return w.len > 1 && w.ptr[0] == '-';
}

/* -y, --yes, --assume-yes, or a cluster of short flags holding y (-qy) */
static bool has_yes(const struct mdk_sh_cmd *c)
{
  size_t i;
  for(i = 0; i < c->n; i++) {
    struct mdk_str w = c->w[i].text;
    if(mdk_str_eq_c(w, "--yes") || mdk_str_eq_c(w, "--assume-yes") ||
       mdk_str_eq_c(w, "-qq"))
      return true;
    if(w.len > 1 && w.ptr[0] == '-' && w.ptr[1] != '-' &&
       memchr(w.ptr, 'y', w.len))
      return true;
  }
  return false;
}

static size_t word_index(const struct mdk_sh_cmd *c, size_t from,
                         const char *w)
{
  size_t i;
  for(i = from; i < c->n; i++)
    if(mdk_str_eq_c(c->w[i].text, w))
      return i;
  return c->n;
}

static bool script_has(const struct mdk_sh_script *s, const char *name,
                       const char *arg)
{
  size_t i;
  for(i = 0; i < s->n; i++) {
    size_t at;
    struct mdk_str nm = mdk_sh_cmd_name(&s->c[i], &at);
    if(mdk_str_eq_c(nm, name) && (!arg || mdk_sh_has_word(&s->c[i], arg)))
      return true;
  }
  return false;
}

static bool contains(struct mdk_str s, const char *needle)
{
  size_t n = strlen(needle);
  if(n == 1)                    /* most needles: memchr is far cheaper */
    return s.len && memchr(s.ptr, needle[0], s.len) != NULL;
  return s.len && memmem(s.ptr, s.len, needle, n) != NULL;
}

/* A package argument that is pinned already (sep in it), or is a path,
 * a file, a variable or a version range rather than a bare name: one pass
 * over its bytes, the file suffixes only looked for after a '.'. */
static bool not_a_name(struct mdk_str p, const char *sep)
{
  size_t i;
  bool dot = false, tilde = false;
  if(contains(p, sep) || mdk_str_eq_c(p, "."))
    return true;
  for(i = 0; i < p.len; i++) {
    char c = p.ptr[i];
    if(c == '$' || c == '/' || c == '<' || c == '>')
      return true;
    dot |= c == '.';
    tilde |= c == '~';
  }
  return (dot && (contains(p, ".deb") || contains(p, ".whl") ||
                  contains(p, ".tar") || contains(p, ".tgz"))) ||
         (tilde && contains(p, "~="));
}

/* package arguments after the subcommand; NULL-free list by index */
static void packages(struct lint *l, const struct mdk_fe_cmd *c,
                     struct mdk_str script, const struct mdk_sh_cmd *sc,
                     size_t from, enum mdk_fe_rule rule, const char *sep,
                     const char *what)
{
  size_t i;
  bool skip_next = false;
  for(i = from; i < sc->n; i++) {
    struct mdk_str p = sc->w[i].text;
    if(skip_next) {
      skip_next = false;
      continue;
    }
    if(is_flag(p)) {
      /* flags that take a value */
      if(mdk_str_eq_c(p, "-r") || mdk_str_eq_c(p, "-c") ||
         mdk_str_eq_c(p, "-e") || mdk_str_eq_c(p, "-t") ||
         mdk_str_eq_c(p, "--target-release") || mdk_str_eq_c(p, "-X") ||
         mdk_str_eq_c(p, "--repository") || mdk_str_eq_c(p, "-i") ||
         mdk_str_eq_c(p, "--index-url") || mdk_str_eq_c(p, "-f") ||
         mdk_str_eq_c(p, "--requirement") || mdk_str_eq_c(p, "--constraint")
         || mdk_str_eq_c(p, "--extra-index-url") || mdk_str_eq_c(p, "-v") ||
         mdk_str_eq_c(p, "--version") || mdk_str_eq_c(p, "--prefix") ||
         mdk_str_eq_c(p, "--root") || mdk_str_eq_c(p, "--virtual"))
        skip_next = true;
      continue;
    }
    if(!p.len || not_a_name(p, sep))
      continue;
    if(rule == MDK_LINT_NPM_PIN && p.ptr[0] == '@' &&
       memchr(p.ptr + 1, '@', p.len - 1))
      continue;
    lint_report(l, rule, c->node, word_loc(c, script, &sc->w[i]),
                c->node->start_line, "%s %.*s is not pinned (write %.*s%s"
                "<version>)", what, MDK_STR_FMT(p), MDK_STR_FMT(p), sep);
  }
}

/* a RUN --mount=type=cache over dir keeps that cache out of the layer */
static bool cache_mounted(const struct mdk_fe_cmd *c, const char *dir)
{
  size_t i;
  for(i = 0; i < c->nmounts; i++) {
    bool found;
    struct mdk_str t = mdk_fe_mount_get(&c->mounts[i], "target", &found);
    if(c->mounts[i].type == MDK_FE_MOUNT_CACHE && found &&
       mdk_str_has_prefix(t, dir))
      return true;
  }
  return false;
}

static const char *const pointless[] = {"ssh", "vim", "shutdown", "service",
                                        "ps", "free", "top", "kill", "mount",
                                        "ifconfig"};

struct file_facts {
  bool uses_wget, uses_curl;
  const struct mdk_fe_node *wget_node;
};

static void run_rules(struct lint *l, const struct mdk_fe_cmd *c,
                      bool pipefail_shell, struct file_facts *ff)
{
  const struct mdk_fe_node *n = c->node;
  struct mdk_str script;
  struct mdk_buf b;
  struct mdk_sh_script s;
  size_t i, k;
  bool apt_install = false, yum_install = false, pipefail = pipefail_shell,
       yarn_install = false;

  if(c->json || !c->nargs)
    return;
  mdk_buf_init(&b, (size_t)1 << 26);
  (void)mdk_buf_append(&b, c->args[0].val.ptr, c->args[0].val.len);
  for(i = 0; i < n->nheredocs; i++) {
    (void)mdk_buf_putc(&b, '\n');
    (void)mdk_buf_append(&b, n->heredocs[i].content.ptr,
                         n->heredocs[i].content.len);
  }
  script = mdk_str_dup(l->a, mdk_buf_str(&b));
  mdk_buf_free(&b);
  /* the words located in the source come from the RUN text itself */
  script.len = script.len;
  mdk_sh_parse(l->a, script, &s);

  for(i = 0; i < s.n; i++) {
    const struct mdk_sh_cmd *sc = &s.c[i];
    size_t at;
    struct mdk_str name = mdk_sh_cmd_name(sc, &at);
    struct mdk_loc wl = at < sc->n ? word_loc(c, script, &sc->w[at]) : kw(n);
    const char *base = name.ptr ? memrchr(name.ptr, '/', name.len) : NULL;
    if(base) {
      name.len -= (size_t)(base + 1 - name.ptr);
      name.ptr = base + 1;
    }
    if(sc->n && mdk_str_eq_c(sc->w[0].text, "sudo"))
      lint_report(l, MDK_LINT_SUDO, n, word_loc(c, script, &sc->w[0]),
                  n->start_line, "sudo in RUN: the build runs as the stage's "
                  "USER; switch users with USER instead");
    if(mdk_str_eq_c(name, "set") && (mdk_sh_has_word(sc, "pipefail") ||
                                     (sc->n > at + 1 &&
                                      contains(sc->w[at + 1].text, "o") &&
                                      mdk_sh_has_word(sc, "pipefail"))))
      pipefail = true;
    if(sc->piped && !pipefail)
      lint_report(l, MDK_LINT_PIPEFAIL, n, wl, n->start_line,
                  "a pipe without pipefail: a failing %.*s is ignored (use "
                  "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or "
                  "set -o pipefail)", MDK_STR_FMT(name));
    if((mdk_str_eq_c(name, "curl") || mdk_str_eq_c(name, "wget")) &&
       sc->piped && i + 1 < s.n) {
      size_t at2;
      struct mdk_str nx = mdk_sh_cmd_name(&s.c[i + 1], &at2);
      if(mdk_str_eq_c(nx, "sh") || mdk_str_eq_c(nx, "bash") ||
         mdk_str_eq_c(nx, "zsh") || mdk_str_eq_c(nx, "ash") ||
         mdk_str_eq_c(nx, "dash") || mdk_str_eq_c(nx, "python") ||
         mdk_str_eq_c(nx, "python3") || mdk_str_eq_c(nx, "perl"))
        lint_report(l, MDK_LINT_CURL_PIPE_SH, n, wl, n->start_line,
                    "%.*s piped into %.*s runs unverified code: download, "
                    "verify a checksum, then run", MDK_STR_FMT(name),
                    MDK_STR_FMT(nx));
    }
    if(mdk_str_eq_c(name, "wget")) {
      ff->uses_wget = true;
      ff->wget_node = n;
      if(!mdk_sh_has_word(sc, "-q") && !mdk_sh_has_word(sc, "--quiet") &&
         !mdk_sh_has_word(sc, "-nv") && !mdk_sh_has_word(sc, "-qO-") &&
         !mdk_sh_has_word(sc, "-qO") && !mdk_sh_has_word(sc, "--no-verbose"))
      {
        bool prog = false;
        for(k = 0; k < sc->n; k++)
          prog |= mdk_str_has_prefix(sc->w[k].text, "--progress");
        if(!prog)
          lint_report(l, MDK_LINT_WGET_PROGRESS, n, wl, n->start_line,
                      "wget without --progress (or -q) fills the build log");
      }
    }
    if(mdk_str_eq_c(name, "curl"))
      ff->uses_curl = true;
    if(mdk_str_eq_c(name, "cd"))
      lint_report(l, MDK_LINT_CD_IN_RUN, n, wl, n->start_line,
                  "cd in RUN only lasts for this RUN: use WORKDIR");
    for(k = 0; k < sizeof(pointless) / sizeof(pointless[0]); k++)
      if(mdk_str_eq_c(name, pointless[k]))
        lint_report(l, MDK_LINT_POINTLESS_CMD, n, wl, n->start_line,
                    "%s makes no sense while building an image", pointless[k]);
    if(mdk_str_eq_c(name, "apt-get") || mdk_str_eq_c(name, "apt")) {
      size_t sub = at + 1;
      while(sub < sc->n && is_flag(sc->w[sub].text))
        sub++;
      if(mdk_str_eq_c(name, "apt") && sub < sc->n)
        lint_report(l, MDK_LINT_APT_NOT_APT_GET, n, wl, n->start_line,
                    "apt has no stable command line interface: use apt-get "
                    "or apt-cache");
      if(sub < sc->n && (mdk_str_eq_c(sc->w[sub].text, "upgrade") ||
                         mdk_str_eq_c(sc->w[sub].text, "dist-upgrade") ||
                         mdk_str_eq_c(sc->w[sub].text, "full-upgrade")))
        lint_report(l, MDK_LINT_APT_UPGRADE, n, wl, n->start_line,
                    "%.*s %.*s makes the image depend on the day it is built",
                    MDK_STR_FMT(name), MDK_STR_FMT(sc->w[sub].text));
      if(sub < sc->n && mdk_str_eq_c(sc->w[sub].text, "install")) {
        apt_install = true;
        if(!has_yes(sc))
          lint_report(l, MDK_LINT_APT_NO_Y, n, wl, n->start_line,
                      "%.*s install without -y waits for an answer",
                      MDK_STR_FMT(name));
        if(!mdk_sh_has_word(sc, "--no-install-recommends"))
          lint_report(l, MDK_LINT_APT_RECOMMENDS, n, wl, n->start_line,
                      "%.*s install without --no-install-recommends",
                      MDK_STR_FMT(name));
        if(!mdk_sh_has_word(sc, "-t") &&
           !mdk_sh_has_word(sc, "--target-release"))
          packages(l, c, script, sc, sub + 1, MDK_LINT_APT_PIN, "=",
                   "apt package");
      }
    }
    if(mdk_str_eq_c(name, "apk")) {
      size_t sub = word_index(sc, at + 1, "add");
      if(sub < sc->n) {
        if(!mdk_sh_has_word(sc, "--no-cache") && !cache_mounted(c, "/var/cache/apk")
           && !cache_mounted(c, "/etc/apk/cache"))
          lint_report(l, MDK_LINT_APK_CACHE, n, wl, n->start_line,
                      "apk add without --no-cache");
        packages(l, c, script, sc, sub + 1, MDK_LINT_APK_PIN, "=",
                 "apk package");
      }
    }
    if(mdk_str_eq_c(name, "pip") || mdk_str_eq_c(name, "pip3") ||
       ((mdk_str_eq_c(name, "python") || mdk_str_eq_c(name, "python3")) &&
        at + 2 < sc->n && mdk_str_eq_c(sc->w[at + 1].text, "-m") &&
        mdk_str_eq_c(sc->w[at + 2].text, "pip"))) {
      size_t sub = word_index(sc, at + 1, "install");
      if(sub < sc->n) {
        bool upgrade_pip = mdk_sh_has_word(sc, "pip") &&
                           (mdk_sh_has_word(sc, "--upgrade") ||
                            mdk_sh_has_word(sc, "-U"));
        if(!mdk_sh_has_word(sc, "--no-cache-dir") && !upgrade_pip &&
           !cache_mounted(c, "/root/.cache"))
          lint_report(l, MDK_LINT_PIP_CACHE, n, wl, n->start_line,
                      "pip install without --no-cache-dir");
        packages(l, c, script, sc, sub + 1, MDK_LINT_PIP_PIN, "==",
                 "pip package");
      }
    }
    if(mdk_str_eq_c(name, "npm")) {
      size_t sub = at + 1;
      if(sub < sc->n && (mdk_str_eq_c(sc->w[sub].text, "install") ||
                         mdk_str_eq_c(sc->w[sub].text, "i") ||
                         mdk_str_eq_c(sc->w[sub].text, "add")))
        packages(l, c, script, sc, sub + 1, MDK_LINT_NPM_PIN, "@",
                 "npm package");
    }
    if(mdk_str_eq_c(name, "yarn") && word_index(sc, at + 1, "install") <
       sc->n)
      yarn_install = true;
    if(mdk_str_eq_c(name, "yum") || mdk_str_eq_c(name, "dnf") ||
       mdk_str_eq_c(name, "microdnf")) {
      if(word_index(sc, at + 1, "install") < sc->n) {
        yum_install = true;
        if(!has_yes(sc))
          lint_report(l, MDK_LINT_YUM_NO_Y, n, wl, n->start_line,
                      "%.*s install without -y waits for an answer",
                      MDK_STR_FMT(name));
      }
    }
    if(mdk_str_eq_c(name, "useradd") && !mdk_sh_has_word(sc, "-l") &&
       !mdk_sh_has_word(sc, "--no-log-init")) {
      size_t u = word_index(sc, at + 1, "-u");
      if(u + 1 < sc->n) {
        struct mdk_str v = sc->w[u + 1].text;
        size_t d;
        unsigned long uid = 0;
        bool num = v.len > 0 && v.len < 12;
        for(d = 0; d < v.len && num; d++) {
          if(v.ptr[d] < '0' || v.ptr[d] > '9')
            num = false;
          else
            uid = uid * 10 + (unsigned long)(v.ptr[d] - '0');
        }
        if(num && uid > 65535)
          lint_report(l, MDK_LINT_USERADD_HIGH_UID, n, wl, n->start_line,
                      "useradd -u %lu without -l (--no-log-init) writes a "
                      "huge sparse /var/log/lastlog", uid);
      }
    }
    if(mdk_str_eq_c(name, "go") && at + 1 < sc->n &&
       mdk_str_eq_c(sc->w[at + 1].text, "install"))
      for(k = at + 2; k < sc->n; k++)
        if(!is_flag(sc->w[k].text) && !contains(sc->w[k].text, "@") &&
           contains(sc->w[k].text, "/") && !contains(sc->w[k].text, "$"))
          lint_report(l, MDK_LINT_GO_INSTALL_PIN, n,
                      word_loc(c, script, &sc->w[k]), n->start_line,
                      "go install %.*s without @version",
                      MDK_STR_FMT(sc->w[k].text));
    if(mdk_str_eq_c(name, "gem") && at + 1 < sc->n &&
       mdk_str_eq_c(sc->w[at + 1].text, "install") &&
       !mdk_sh_has_word(sc, "-v") && !mdk_sh_has_word(sc, "--version"))
      packages(l, c, script, sc, at + 2, MDK_LINT_GEM_PIN, ":", "gem");
    if(mdk_str_eq_c(name, "ln") && sc->n >= 2 &&
       (mdk_str_eq_c(sc->w[sc->n - 1].text, "/bin/sh")) &&
       (mdk_sh_has_word(sc, "-s") || mdk_sh_has_word(sc, "-sf") ||
        mdk_sh_has_word(sc, "-fs")))
      lint_report(l, MDK_LINT_LN_BIN_SH, n, wl, n->start_line,
                  "linking over /bin/sh: set the shell with SHELL instead");
  }
  if(apt_install && !contains(script, "/var/lib/apt/lists") &&
     !contains(script, "dist-clean") && !cache_mounted(c, "/var/lib/apt"))
    lint_report(l, MDK_LINT_APT_LISTS, n, kw(n), n->start_line,
                "apt-get install without rm -rf /var/lib/apt/lists/* in the "
                "same RUN keeps the lists in the layer");
  if(yum_install && !script_has(&s, "yum", "clean") &&
     !script_has(&s, "dnf", "clean") && !script_has(&s, "microdnf", "clean"))
    lint_report(l, MDK_LINT_YUM_CLEAN, n, kw(n), n->start_line,
                "yum/dnf install without \"clean all\" in the same RUN keeps "
                "the package cache in the layer");
  if(yarn_install && !contains(script, "cache clean"))
    lint_report(l, MDK_LINT_YARN_CACHE, n, kw(n), n->start_line,
                "yarn install without yarn cache clean in the same RUN");
}

static bool is_archive(struct mdk_str s)
{
  static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2",
                                    ".tbz2", ".tbz", ".tar.xz", ".txz",
                                    ".tar.zst", ".gz", ".bz2", ".xz"};
  size_t i;
  for(i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
    size_t n = strlen(ext[i]);
    if(s.len > n && memcmp(s.ptr + s.len - n, ext[i], n) == 0)
      return true;
  }
  return false;
}

/* credentials with well-known shapes */
static bool secret_value(struct mdk_str v)
{
  static const char *const prefixes[] = {"AKIA", "ASIA", "ghp_", "gho_",
                                         "ghs_", "ghu_", "github_pat_",
                                         "glpat-", "xoxb-", "xoxp-", "sk_live_",
                                         "AIza", "-----BEGIN"};
  size_t i;
  if(v.len < 16)
    return false;
  for(i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    if(mdk_str_has_prefix(v, prefixes[i]))
      return true;
  return contains(v, "PRIVATE KEY-----");
}

void mdk_fe_lint_practice(struct lint *l)
{
  const struct mdk_fe_file *file = l->file;
  struct file_facts ff = {false, false, NULL};
  struct mdk_vec ports = MDK_VEC_INIT(struct mdk_str);
  const struct mdk_fe_cmd *last_user = NULL;
  bool pipefail_shell = false;
  int cur = -1;
  size_t i, j;

  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_node *n = c->node;
    if(c->invalid)
      continue;
    switch(c->kind) {
    case MDK_FE_FROM: {
      struct mdk_str b = x->stage >= 0 ? l->sem->stages[x->stage].base
                                       : MDK_STR_NULL;
      const char *slash, *colon;
      cur = x->stage;
      ports.len = 0;
      last_user = NULL;
      pipefail_shell = false;
      if(!c->base || mdk_str_index(c->base->val, '$') >= 0 ||
         mdk_str_eq_c(b, "scratch") || (cur >= 0 &&
                                        l->sem->stages[cur].parent >= 0) ||
         mdk_str_index(b, '@') >= 0 || !b.len)
        break;
      slash = memrchr(b.ptr, '/', b.len);
      colon = memchr(slash ? slash : b.ptr, ':',
                     b.len - (size_t)((slash ? slash : b.ptr) - b.ptr));
      if(!colon)
        lint_report(l, MDK_LINT_FROM_UNTAGGED, n,
                    mdk_fe_arg_loc(n, c->base), n->start_line,
                    "FROM %.*s has no tag and means :latest: pin a version",
                    MDK_STR_FMT(b));
      else if(mdk_str_eq_c(mdk_str_make(colon + 1, b.len - (size_t)(colon + 1
                                                                     - b.ptr)),
                           "latest"))
        lint_report(l, MDK_LINT_FROM_LATEST, n, mdk_fe_arg_loc(n, c->base),
                    n->start_line, "FROM %.*s: :latest moves; pin a version",
                    MDK_STR_FMT(b));
      break;
    }
    case MDK_FE_SHELL:
      pipefail_shell = false;
      for(j = 0; j < c->nargs; j++)
        if(mdk_str_eq_c(c->args[j].val, "pipefail"))
          pipefail_shell = true;
      /* pwsh and cmd have no pipefail problem of this kind */
      if(c->nargs && (contains(c->args[0].val, "pwsh") ||
                      contains(c->args[0].val, "powershell") ||
                      contains(c->args[0].val, "cmd")))
        pipefail_shell = true;
      break;
    case MDK_FE_RUN:
      run_rules(l, c, pipefail_shell, &ff);
      if(i > 0 && file->cmds[i - 1].kind == MDK_FE_RUN &&
         l->sem->x[i - 1].stage == x->stage)
        lint_report(l, MDK_LINT_CONSECUTIVE_RUN, n, kw(n), n->start_line,
                    "RUN right after RUN: join them with && to save a layer");
      break;
    case MDK_FE_ADD: {
      const struct mdk_fe_flagval *sum = mdk_fe_cmd_flag(c, "checksum");
      const struct mdk_fe_flagval *unpack = mdk_fe_cmd_flag(c, "unpack");
      for(j = 0; j < x->nvals; j++) {
        struct mdk_str s = x->vals[j].val;
        if(strcmp(x->vals[j].what, "source") != 0)
          continue;
        enum mdk_ir_src kind = mdk_ir_source_kind(s);
        if(kind == MDK_IR_SRC_HTTP && !(sum && sum->set))
          lint_report(l, MDK_LINT_ADD_NO_CHECKSUM, n, kw(n), n->start_line,
                      "ADD %.*s without --checksum=sha256:... downloads "
                      "whatever the server sends", MDK_STR_FMT(s));
        if(kind == MDK_IR_SRC_CONTEXT && (!is_archive(s) ||
                                        (unpack && unpack->set &&
                                         !unpack->bval)))
          lint_report(l, MDK_LINT_ADD_LOCAL, n, kw(n), n->start_line,
                      "ADD %.*s copies a local file: use COPY",
                      MDK_STR_FMT(s));
      }
      break;
    }
    case MDK_FE_COPY: {
      const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
      if(c->nargs >= 3) {
        struct mdk_str d = c->args[c->nargs - 1].val;
        if(d.len && d.ptr[d.len - 1] != '/' && mdk_str_index(d, '$') < 0)
          lint_report(l, MDK_LINT_COPY_MULTI_DEST, n,
                      mdk_fe_arg_loc(n, &c->args[c->nargs - 1]),
                      n->start_line, "COPY with %zu sources into %.*s: end "
                      "the destination with /", c->nargs - 1, MDK_STR_FMT(d));
      }
      if(from && from->set && cur >= 0 &&
         mdk_fe_stage_lookup(l->stage_names, (size_t)cur + 1,
                             from->vals[from->nvals - 1].val,
                             MDK_FE_REF_MOUNT_FROM) == cur)
        lint_report(l, MDK_LINT_COPY_FROM_SELF, n, kw(n), n->start_line,
                    "COPY --from=%.*s names its own stage",
                    MDK_STR_FMT(from->vals[from->nvals - 1].val));
      break;
    }
    case MDK_FE_WORKDIR:
      if(x->nvals) {
        struct mdk_str w = x->vals[0].val;
        if(mdk_str_has_prefix(w, "/proc/self/fd"))
          lint_report(l, MDK_LINT_WORKDIR_PROC_FD, n, kw(n), n->start_line,
                      "WORKDIR %.*s points into a file descriptor of the "
                      "runtime (CVE-2024-21626)", MDK_STR_FMT(w));
        if(c->nargs && c->args[0].val.len && c->args[0].val.ptr[0] != '/' &&
           c->args[0].val.ptr[0] != '$')
          lint_report(l, MDK_LINT_WORKDIR_ABS, n, kw(n), n->start_line,
                      "WORKDIR %.*s is relative: use an absolute path",
                      MDK_STR_FMT(c->args[0].val));
      }
      break;
    case MDK_FE_CMD:
    case MDK_FE_ENTRYPOINT:
      if(!c->json && c->nargs && !mdk_str_has_prefix(c->args[0].val, "exec "))
        lint_report(l, MDK_LINT_SHELL_FORM_SIGNALS, n, kw(n), n->start_line,
                    "shell-form %s runs under /bin/sh -c: use the JSON form "
                    "or start with exec", c->kind == MDK_FE_CMD ? "CMD"
                                                                : "ENTRYPOINT");
      break;
    case MDK_FE_EXPOSE:
      for(j = 0; j < x->nvals; j++) {
        struct mdk_str p = x->vals[j].val;
        struct mdk_str norm = mdk_str_index(p, '/') < 0
                                ? mdk_str_c(mdk_arena_printf(l->a, "%.*s/tcp",
                                                             MDK_STR_FMT(p)))
                                : mdk_str_lower(l->a, p);
        size_t k;
        bool dup = false;
        for(k = 0; k < ports.len; k++)
          if(mdk_str_eq(*mdk_vec_at(&ports, struct mdk_str, k), norm))
            dup = true;
        if(dup)
          lint_report(l, MDK_LINT_DUP_EXPOSE, n, kw(n), n->start_line,
                      "port %.*s is already exposed in this stage",
                      MDK_STR_FMT(norm));
        else
          mdk_vec_push(l->a, &ports, &norm);
      }
      break;
    case MDK_FE_USER:
      last_user = c;
      break;
    case MDK_FE_ARG:
      for(j = 0; j < c->nargdefs; j++)
        if(c->argdefs[j].has_value && secret_value(c->argdefs[j].value))
          lint_report(l, MDK_LINT_SECRET_VALUE, n, kw(n), n->start_line,
                      "ARG %.*s has a value that looks like a credential: "
                      "pass it with a secret mount",
                      MDK_STR_FMT(c->argdefs[j].name));
      break;
    case MDK_FE_ENV:
      for(j = 0; j < c->npairs; j++)
        if(secret_value(c->keys[j * 3 + 1].val))
          lint_report(l, MDK_LINT_SECRET_VALUE, n, kw(n), n->start_line,
                      "ENV %.*s has a value that looks like a credential: it "
                      "stays in the image", MDK_STR_FMT(c->keys[j * 3].val));
      break;
    default:
      break;
    }
  }
  if(ff.uses_wget && ff.uses_curl && ff.wget_node)
    lint_report(l, MDK_LINT_WGET_AND_CURL, ff.wget_node, kw(ff.wget_node),
                ff.wget_node->start_line, "both wget and curl are used: pick "
                "one");
  if(last_user && last_user->nargs) {
    struct mdk_str u = last_user->args[0].val;
    long colon = mdk_str_index(u, ':');
    if(colon >= 0)
      u.len = (size_t)colon;
    if(mdk_str_eq_c(u, "root") || mdk_str_eq_c(u, "0"))
      lint_report(l, MDK_LINT_USER_ROOT, last_user->node,
                  kw(last_user->node), last_user->node->start_line,
                  "the final USER is root: run as an unprivileged user");
  }
}
