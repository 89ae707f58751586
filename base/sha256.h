/* sha256.h - streaming SHA-256 over OpenSSL's libcrypto (SHA-NI when the CPU
 * has it; never a hand-rolled hash on the hot path, DESIGN.md §8). */
#ifndef MDK_SHA256_H
#define MDK_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct mdk_sha256 {
  void *ctx;                    /* EVP_MD_CTX */
};

void mdk_sha256_init(struct mdk_sha256 *h);
void mdk_sha256_update(struct mdk_sha256 *h, const void *p, size_t n);
void mdk_sha256_final(struct mdk_sha256 *h, uint8_t out[32]);

#endif
