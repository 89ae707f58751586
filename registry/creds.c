/* creds.c - see creds.h. */
#include "registry/creds.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/crypto_dl.h"
#include "base/base.h"

enum { HELPER_OUT_MAX = 1 << 16 };

static char *config_path(void)
{
  const char *dir = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
  char buf[4096];
  if(dir)
    snprintf(buf, sizeof(buf), "%s/config.json", dir);
  else if(home)
    snprintf(buf, sizeof(buf), "%s/.docker/config.json", home);
  else
    return NULL;
  return strdup(buf);
}

static json_t *load_config(const char *path)
{
  json_error_t je;
  json_t *cfg = path ? json_load_file(path, 0, &je) : NULL;
  if(!json_is_object(cfg)) {
    json_decref(cfg);
    cfg = json_object();
  }
  return cfg;
}

/* The server name a helper knows the host by: Docker Hub's credentials are
 * stored under its v1 index URL, every other registry under its host. */
static const char *server_url(const char *host)
{
  if(strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0 ||
     strcmp(host, "registry-1.docker.io") == 0)
    return "https://index.docker.io/v1/";
  return host;
}

/* The helper for host, or NULL: credHelpers, then credsStore. */
static const char *helper_for(json_t *cfg, const char *host)
{
  const char *h = json_string_value(
    json_object_get(json_object_get(cfg, "credHelpers"), host));
  if(!h)
    h = json_string_value(json_object_get(cfg, "credsStore"));
  return h && *h ? h : NULL;
}

/* Runs docker-credential-NAME VERB with input on its stdin; its stdout
 * (at most 64 KiB) in *out.  Returns its exit status, or -1 when it cannot
 * run.  Its stderr is not shown: helpers put secrets in their messages. */
static int run_helper(const char *name, const char *verb, const char *input,
                      char **out)
{
  char prog[300];
  int in[2], outp[2], status = 0, devnull;
  size_t n = 0, len = strlen(input);
  char *buf = malloc(HELPER_OUT_MAX + 1);
  pid_t pid;
  *out = NULL;
  if(!buf || strchr(name, '/'))
    return free(buf), -1;
  snprintf(prog, sizeof(prog), "docker-credential-%s", name);
  if(pipe2(in, O_CLOEXEC) != 0)
    return free(buf), -1;
  if(pipe2(outp, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return free(buf), -1;
  }
  pid = fork();
  if(pid == 0) {
    devnull = open("/dev/null", O_WRONLY);
    dup2(in[0], 0);
    dup2(outp[1], 1);
    if(devnull >= 0)
      dup2(devnull, 2);
    execlp(prog, prog, verb, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(outp[1]);
  if(pid < 0) {
    close(in[1]);
    close(outp[0]);
    return free(buf), -1;
  }
  {
    /* a helper that exits early must not kill us with SIGPIPE */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    (void)!write(in[1], input, len);
    signal(SIGPIPE, old);
  }
  close(in[1]);
  for(;;) {
    ssize_t r = read(outp[0], buf + n, HELPER_OUT_MAX - n);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0)
      break;
    n += (size_t)r;
    if(n == HELPER_OUT_MAX)
      break;
  }
  close(outp[0]);
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  buf[n] = '\0';
  *out = buf;
  if(!WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

static void wipe_free(char *s)
{
  if(s) {
    memset(s, 0, strlen(s));
    free(s);
  }
}

static char *from_helper(const char *name, const char *host)
{
  char *out = NULL, *up = NULL;
  json_t *j;
  json_error_t je;
  const char *u, *p;
  if(run_helper(name, "get", server_url(host), &out) != 0) {
    wipe_free(out);
    return NULL;                /* not found, or no such helper */
  }
  j = json_loads(out, 0, &je);
  wipe_free(out);
  u = json_string_value(json_object_get(j, "Username"));
  p = json_string_value(json_object_get(j, "Secret"));
  if(u && p && *p) {
    size_t n = strlen(u) + strlen(p) + 2;
    up = malloc(n);
    if(up)
      snprintf(up, n, "%s:%s", u, p);
  }
  json_decref(j);               /* jansson does not wipe: a known limit */
  return up;
}

static char *from_auths(json_t *cfg, const char *host)
{
  json_t *auths = json_object_get(cfg, "auths"), *ent;
  const char *b64;
  char alt[300], *out = NULL;
  ent = json_object_get(auths, host);
  if(!ent) {
    snprintf(alt, sizeof(alt), "https://%s", host);
    ent = json_object_get(auths, alt);
  }
  if(!ent)
    ent = json_object_get(auths, server_url(host));
  b64 = json_string_value(json_object_get(ent, "auth"));
  if(b64) {
    size_t n = strlen(b64);
    unsigned char *dec = malloc(n + 4);
    int m = dec ? EVP_DecodeBlock(dec, (const unsigned char *)b64, (int)n)
                : -1;
    if(m > 0) {
      /* EVP_DecodeBlock counts the padding as bytes */
      while(m > 0 && n && b64[n - 1] == '=' && dec[m - 1] == 0) {
        m--;
        n--;
      }
      dec[m] = '\0';
      if(strchr((char *)dec, ':'))
        out = strdup((char *)dec);
    }
    if(dec) {
      memset(dec, 0, n + 4);
      free(dec);
    }
  }
  return out;
}

char *mdk_be_creds_get(const char *host)
{
  char *path = config_path(), *out;
  json_t *cfg = load_config(path);
  const char *helper = helper_for(cfg, host);
  out = helper ? from_helper(helper, host) : from_auths(cfg, host);
  json_decref(cfg);
  free(path);
  return out;
}

/* Writes cfg to path atomically, 0600 (it may hold credentials). */
static enum mdk_status save_config(const char *path, json_t *cfg,
                                   struct mdk_err *e)
{
  char *dir = strdup(path), *slash, *text;
  enum mdk_status st;
  int err = 0;
  if(!dir)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  slash = strrchr(dir, '/');
  if(slash) {
    *slash = '\0';
    mdk_mkdir_p(dir, &err);
  }
  free(dir);
  text = json_dumps(cfg, JSON_INDENT(2) | JSON_SORT_KEYS);
  if(!text)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  st = mdk_write_atomic_mode(path, text, strlen(text), 0600, &err);
  free(text);
  if(st)
    return mdk_fail(e, st, "cannot write %s: %s", path, strerror(err));
  return MDK_OK;
}

static json_t *auths_of(json_t *cfg)
{
  json_t *auths = json_object_get(cfg, "auths");
  if(!json_is_object(auths)) {
    auths = json_object();
    json_object_set_new(cfg, "auths", auths);
  }
  return auths;
}

enum mdk_status mdk_be_creds_store(const char *host, const char *user,
                                   const char *pass, struct mdk_err *e)
{
  char *path = config_path();
  json_t *cfg, *auths;
  const char *helper;
  enum mdk_status st;
  if(!path)
    return mdk_fail(e, MDK_EINPUT, "no HOME or DOCKER_CONFIG to keep "
                       "credentials in");
  cfg = load_config(path);
  auths = auths_of(cfg);
  helper = helper_for(cfg, host);
  if(helper) {
    json_t *in = json_pack("{s:s,s:s,s:s}", "ServerURL", server_url(host),
                           "Username", user, "Secret", pass);
    char *text = json_dumps(in, JSON_COMPACT), *out = NULL;
    int rc = text ? run_helper(helper, "store", text, &out) : -1;
    wipe_free(text);
    json_decref(in);
    free(out);
    if(rc != 0) {
      json_decref(cfg);
      free(path);
      return mdk_fail(e, MDK_EIO, "the credential helper "
                         "docker-credential-%s could not store them (%s)",
                         helper, rc < 0 ? "it cannot be run"
                                        : "it exited with an error");
    }
    /* the config only records the host, as docker login does */
    json_object_set_new(auths, host, json_object());
  } else {
    size_t ul = strlen(user) + strlen(pass) + 1;
    char *up = malloc(ul + 1);
    unsigned char *b64 = malloc(4 * ((ul + 2) / 3) + 4);
    if(!up || !b64) {
      free(up);
      free(b64);
      json_decref(cfg);
      free(path);
      return mdk_fail(e, MDK_ENOMEM, "out of memory");
    }
    snprintf(up, ul + 1, "%s:%s", user, pass);
    EVP_EncodeBlock(b64, (const unsigned char *)up, (int)ul);
    json_object_set_new(auths, host, json_pack("{s:s}", "auth",
                                               (const char *)b64));
    wipe_free(up);
    wipe_free((char *)b64);
  }
  st = save_config(path, cfg, e);
  json_decref(cfg);
  free(path);
  return st;
}

enum mdk_status mdk_be_creds_erase(const char *host, bool *had,
                                   struct mdk_err *e)
{
  char *path = config_path();
  json_t *cfg;
  const char *helper;
  enum mdk_status st = MDK_OK;
  *had = false;
  if(!path)
    return MDK_OK;
  cfg = load_config(path);
  helper = helper_for(cfg, host);
  if(helper) {
    char *out = NULL;
    *had = run_helper(helper, "erase", server_url(host), &out) == 0;
    free(out);
  }
  if(json_object_del(auths_of(cfg), host) == 0)
    *had = true;
  if(*had)
    st = save_config(path, cfg, e);
  json_decref(cfg);
  free(path);
  return st;
}
