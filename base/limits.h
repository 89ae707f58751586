/* limits.h - the caps that keep hostile input bounded, in one table: each
 * has a default, a hard maximum and the environment variable that raises
 * it, and every error that hits one names that variable
 * (mdk_limit_env). */
#ifndef MDK_LIMITS_H
#define MDK_LIMITS_H

#include <stdint.h>

/* X(enum, environment variable, default, maximum, what it bounds) */
#define MDK_LIMIT_LIST(X)                                                   \
  X(MDK_LIMIT_EXPANSION, "MDOCK_MAX_EXPANSION", (uint64_t)4 << 20,          \
    ((uint64_t)64 << 20) - 1, "bytes one expanded word may grow to")        \
  X(MDK_LIMIT_EXPANSION_TOTAL, "MDOCK_MAX_EXPANSION_TOTAL",                 \
    (uint64_t)32 << 20, (uint64_t)1 << 30,                                 \
    "bytes all the expansions of one Dockerfile may produce")              \
  X(MDK_LIMIT_INSTRUCTION, "MDOCK_MAX_INSTRUCTION", (uint64_t)16 << 20,     \
    (uint64_t)256 << 20, "bytes of one instruction with its continuations") \
  X(MDK_LIMIT_INSTRUCTIONS, "MDOCK_MAX_INSTRUCTIONS", 250000, 10000000,     \
    "instructions in one Dockerfile")                                      \
  X(MDK_LIMIT_DOCUMENT, "MDOCK_MAX_DOCUMENT", (uint64_t)4 << 20,            \
    (uint64_t)64 << 20, "bytes of an image manifest, index or config")     \
  X(MDK_LIMIT_UNPACK_RATIO, "MDOCK_MAX_UNPACK_RATIO", 250, 1000000,         \
    "times an archive may grow when it is decompressed")

enum mdk_limit {
#define X(e, env, def, max, what) e,
  MDK_LIMIT_LIST(X)
#undef X
  MDK_LIMIT_COUNT
};

/* The limit in force: the variable's value when it is a positive number
 * (capped at the maximum), else the default.  Read once per process. */
uint64_t mdk_limit(enum mdk_limit l);
const char *mdk_limit_env(enum mdk_limit l);
const char *mdk_limit_what(enum mdk_limit l);

/* An archive may always unpack to this many bytes, whatever its ratio:
 * small archives of zeros are normal, bombs are large. */
#define MDK_UNPACK_RATIO_FLOOR ((uint64_t)64 << 20)

#endif
