/* tty_relay.c - the copying side of `mdock run -t` (tty_relay.h). */
#include "cli/tty_relay.h"

#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* SIGWINCH: the copier passes the new size on */
static volatile sig_atomic_t resized;
static void on_winch(int sig)
{
  (void)sig;
  resized = 1;
}

static void pass_size(struct mdk_tty_relay *t)
{
  struct winsize ws;
  if(ioctl(1, TIOCGWINSZ, &ws) == 0 || ioctl(0, TIOCGWINSZ, &ws) == 0)
    ioctl(t->master, TIOCSWINSZ, &ws);
}

bool mdk_tty_open(struct mdk_tty_relay *t, bool input, char *why, size_t n)
{
  const char *name;
  memset(t, 0, sizeof(*t));
  t->slave = t->stop[0] = t->stop[1] = -1;
  t->input = input;
  t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if(t->master < 0 || grantpt(t->master) || unlockpt(t->master) ||
     !(name = ptsname(t->master)) ||
     (t->slave = open(name, O_RDWR | O_NOCTTY)) < 0 ||
     pipe2(t->stop, O_CLOEXEC)) {
    snprintf(why, n, "cannot open a pseudo-terminal: %s", strerror(errno));
    if(t->master >= 0)
      close(t->master);
    if(t->slave >= 0)
      close(t->slave);
    return false;
  }
  pass_size(t);
  return true;
}

static void *copy(void *arg)
{
  struct mdk_tty_relay *t = arg;
  char buf[8192];
  bool in_open = t->input;
  for(;;) {
    struct pollfd p[3] = {{t->master, POLLIN, 0}, {t->stop[0], POLLIN, 0},
                          {0, POLLIN, 0}};
    int n = poll(p, in_open ? 3 : 2, 100);
    ssize_t got;
    if(resized) {
      resized = 0;
      pass_size(t);
    }
    if(n < 0 && errno != EINTR)
      break;
    if(n <= 0)
      continue;
    if(p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      got = read(t->master, buf, sizeof(buf));
      if(got > 0)
        mdk_write_all(1, buf, (size_t)got);
      else if(got < 0 && errno == EINTR)
        continue;
      else if(p[1].revents)
        break;                  /* the command is gone and so is its end */
    }
    if(in_open && (p[2].revents & (POLLIN | POLLHUP))) {
      got = read(0, buf, sizeof(buf));
      if(got > 0)
        mdk_write_all(t->master, buf, (size_t)got);
      else if(got == 0 || errno != EINTR) {
        /* end of input: the terminal's end-of-file character */
        char eot = 4;
        mdk_write_all(t->master, &eot, 1);
        in_open = false;
      }
    }
    if(p[1].revents && !(p[0].revents & POLLIN))
      break;
  }
  return NULL;
}

bool mdk_tty_start(struct mdk_tty_relay *t)
{
  struct sigaction sa;
  if(isatty(0) && t->input && tcgetattr(0, &t->saved) == 0) {
    struct termios raw = t->saved;
    cfmakeraw(&raw);
    t->raw = tcsetattr(0, TCSANOW, &raw) == 0;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_winch;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGWINCH, &sa, NULL);
  t->started = pthread_create(&t->thread, NULL, copy, t) == 0;
  return t->started;
}

void mdk_tty_finish(struct mdk_tty_relay *t)
{
  char one = 1;
  /* the command's processes are gone: mdock's copy of the terminal end is
   * the last, and closing it lets the rest of the output drain */
  close(t->slave);
  t->slave = -1;
  if(t->started) {
    (void)!write(t->stop[1], &one, 1);
    pthread_join(t->thread, NULL);
  }
  if(t->raw)
    tcsetattr(0, TCSANOW, &t->saved);
  signal(SIGWINCH, SIG_DFL);
  close(t->master);
  close(t->stop[0]);
  close(t->stop[1]);
}
