/* crypto_dl.c - see crypto_dl.h. */
#include <openssl/evp.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/crypto_dl.h"

static struct mdk_crypto table;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
  void *h = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if(!h)
    h = dlopen("libcrypto.so", RTLD_NOW | RTLD_LOCAL);
  if(h) {
    /* POSIX: a function pointer from dlsym, through a cast of the object */
#define SYM(field, name) *(void **)(&table.field) = dlsym(h, name)
    SYM(md_ctx_new, "EVP_MD_CTX_new");
    SYM(md_ctx_free, "EVP_MD_CTX_free");
    SYM(digest_init_ex, "EVP_DigestInit_ex");
    SYM(digest_update, "EVP_DigestUpdate");
    SYM(digest_final_ex, "EVP_DigestFinal_ex");
    SYM(sha256, "EVP_sha256");
    SYM(encode_block, "EVP_EncodeBlock");
    SYM(decode_block, "EVP_DecodeBlock");
#undef SYM
  }
  if(!table.md_ctx_new || !table.md_ctx_free || !table.digest_init_ex ||
     !table.digest_update || !table.digest_final_ex || !table.sha256 ||
     !table.encode_block || !table.decode_block) {
    fprintf(stderr, "mdock: fatal: cannot load OpenSSL's libcrypto (%s)\n"
                    "  install it: apt-get install libssl3\n",
            h ? "a function is missing" : dlerror());
    exit(2);
  }
}

const struct mdk_crypto *mdk_crypto(void)
{
  pthread_once(&once, load);
  return &table;
}
