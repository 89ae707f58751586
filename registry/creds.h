/* creds.h - registry credentials where Docker keeps them: the config file
 * ($DOCKER_CONFIG/config.json or ~/.docker/config.json) and the credential
 * helpers it names.  For a host, "credHelpers": {"host": "NAME"} wins, then
 * "credsStore": "NAME", then "auths": {"host": {"auth": base64(user:pass)}};
 * a helper is the program docker-credential-NAME, spoken to as Docker does
 * (get/store/erase, the server on stdin, JSON back).  Credentials are never
 * printed or logged. */
#ifndef MDK_BE_CREDS_H
#define MDK_BE_CREDS_H

#include "store/store.h"

/* "user:password" for host (malloc'd; the caller wipes and frees it), or
 * NULL when there are none. */
char *mdk_be_creds_get(const char *host);

/* mdock login: into the helper for host when there is one (the config then
 * records the host with no secret), else into "auths", written 0600. */
enum mdk_status mdk_be_creds_store(const char *host, const char *user,
                                   const char *pass, struct mdk_err *e);

/* mdock logout; *had says whether there were credentials to remove. */
enum mdk_status mdk_be_creds_erase(const char *host, bool *had,
                                   struct mdk_err *e);

#endif
