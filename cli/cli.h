/* cli.h - cli/'s public header, for main.c only: the command line. */
#ifndef MDK_CLI_H
#define MDK_CLI_H

/* Runs `mdock ARGS...`; returns the exit status (0 ok, 1 the input or the
 * operation failed, 2 usage error). */
int mdk_cli_main(int argc, char **argv);

#endif
