/* platform.h - an image's platform (os/arch[/variant]) as containerd and
 * BuildKit spell it: parsed and normalised ("linux/aarch64" is
 * linux/arm64, "linux/arm" is linux/arm/v7), the host's, and whether an
 * index entry or an image config is for it. */
#ifndef MDK_PLATFORM_H
#define MDK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

struct mdk_platform {
  char os[32], arch[32], variant[32];   /* variant "" when none */
};

/* "os/arch[/variant]", or an architecture alone ("arm64": linux/arm64).
 * false when it is not one (the caller says what is wrong). */
bool mdk_platform_parse(const char *s, struct mdk_platform *p);
/* the machine this process runs on (uname's machine, normalised) */
void mdk_platform_host(struct mdk_platform *p);
/* the host's as a string ("linux/amd64") */
const char *mdk_platform_host_str(void);
struct mdk_arena;
/* s normalised (in a), or s itself when it is no platform */
const char *mdk_platform_normalize(struct mdk_arena *a, const char *s);
/* "os/arch[/variant]" into buf */
const char *mdk_platform_str(const struct mdk_platform *p, char *buf,
                             size_t cap);
/* is (os, arch, variant) - an index entry's or a config's fields, any may
 * be NULL - for platform p?  A missing variant matches the default one. */
bool mdk_platform_match(const struct mdk_platform *p, const char *os,
                        const char *arch, const char *variant);
bool mdk_platform_eq(const struct mdk_platform *a,
                     const struct mdk_platform *b);

/* The ELF machine (e_machine) and QEMU's name for the architecture
 * ("aarch64" for arm64), 0 and NULL when unknown. */
int mdk_platform_elf_machine(const struct mdk_platform *p);
const char *mdk_platform_qemu_name(const struct mdk_platform *p);
/* can this machine's kernel run p's binaries without an emulator? */
bool mdk_platform_native(const struct mdk_platform *p);

#endif
