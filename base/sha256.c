#include "base/sha256.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "base/crypto_dl.h"

void mdk_sha256_init(struct mdk_sha256 *h)
{
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  if(!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
    fputs("mdock: fatal: cannot initialise SHA-256\n", stderr);
    abort();
  }
  h->ctx = c;
}

void mdk_sha256_update(struct mdk_sha256 *h, const void *p, size_t n)
{
  if(n)
    EVP_DigestUpdate(h->ctx, p, n);
}

void mdk_sha256_final(struct mdk_sha256 *h, uint8_t out[32])
{
  unsigned int n = 32;
  EVP_DigestFinal_ex(h->ctx, out, &n);
  EVP_MD_CTX_free(h->ctx);
  h->ctx = NULL;
}
