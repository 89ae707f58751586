/* crypto_dl.h - OpenSSL's libcrypto loaded when a command first hashes or
 * encodes (dlopen): linked, its relocations cost every mdock process about
 * 1.2 ms of start-up, as much again as the rest of a small lint or parse.
 * Include this after <openssl/evp.h>: the EVP_* calls of the file then go
 * through the loaded library. */
#ifndef MDK_CRYPTO_DL_H
#define MDK_CRYPTO_DL_H

#include <openssl/evp.h>

struct mdk_crypto {
  EVP_MD_CTX *(*md_ctx_new)(void);
  void (*md_ctx_free)(EVP_MD_CTX *);
  int (*digest_init_ex)(EVP_MD_CTX *, const EVP_MD *, ENGINE *);
  int (*digest_update)(EVP_MD_CTX *, const void *, size_t);
  int (*digest_final_ex)(EVP_MD_CTX *, unsigned char *, unsigned int *);
  const EVP_MD *(*sha256)(void);
  int (*encode_block)(unsigned char *, const unsigned char *, int);
  int (*decode_block)(unsigned char *, const unsigned char *, int);
};

/* Never NULL.  Without libcrypto nothing can be hashed, and a builder that
 * cannot hash cannot do its job: the first use exits with a message saying
 * which package to install. */
const struct mdk_crypto *mdk_crypto(void);

#define EVP_MD_CTX_new() (mdk_crypto()->md_ctx_new())
#define EVP_MD_CTX_free(c) (mdk_crypto()->md_ctx_free(c))
#define EVP_DigestInit_ex(c, t, e) (mdk_crypto()->digest_init_ex((c), (t), (e)))
#define EVP_DigestUpdate(c, d, n) (mdk_crypto()->digest_update((c), (d), (n)))
#define EVP_DigestFinal_ex(c, m, s) (mdk_crypto()->digest_final_ex((c), (m), (s)))
#undef EVP_sha256
#define EVP_sha256() (mdk_crypto()->sha256())
#define EVP_EncodeBlock(t, f, n) (mdk_crypto()->encode_block((t), (f), (n)))
#define EVP_DecodeBlock(t, f, n) (mdk_crypto()->decode_block((t), (f), (n)))

#endif
