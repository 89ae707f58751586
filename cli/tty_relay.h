/* tty_relay.h - `mdock run -t`: a pseudo-terminal for the command, as
 * docker run -t gives one.  The command gets the pty's terminal end as
 * stdin, stdout and stderr (and as its controlling terminal); mdock copies
 * between the other end and its own stdout (and stdin with -i), with its
 * own terminal in raw mode meanwhile and window sizes passed on. */
#ifndef MDK_CLI_TTY_RELAY_H
#define MDK_CLI_TTY_RELAY_H

#include <pthread.h>
#include <stdbool.h>
#include <termios.h>

struct mdk_tty_relay {
  int master, slave;            /* the pty's ends */
  bool input;                   /* -i: mdock's stdin goes to the command */
  bool raw;                     /* mdock's terminal was put in raw mode */
  struct termios saved;
  int stop[2];                  /* a pipe that ends the copying */
  pthread_t thread;
  bool started;
};

/* Opens the pty (slave is the fd the command gets); false and why. */
bool mdk_tty_open(struct mdk_tty_relay *t, bool input, char *why, size_t n);
/* Starts copying (a thread of its own). */
bool mdk_tty_start(struct mdk_tty_relay *t);
/* After the command ended: copies what it wrote last, restores the
 * terminal, closes everything. */
void mdk_tty_finish(struct mdk_tty_relay *t);

#endif
