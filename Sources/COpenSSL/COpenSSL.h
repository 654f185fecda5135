/* The system OpenSSL 3 libcrypto, as TokenKit sees it.
 * Swift cannot import function-like macros or computed constants; the few TokenKit
 * needs are wrapped here as static inline functions named CTokenShim_<OpenSSLName>. */
#ifndef TOKENCTL_COPENSSL_H
#define TOKENCTL_COPENSSL_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>

static inline long CTokenShim_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline int CTokenShim_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }
static inline int CTokenShim_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int CTokenShim_BN_num_bytes(const BIGNUM *bn) { return BN_num_bytes(bn); }
static inline void CTokenShim_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }

/* OpenSSL's own loader of its error texts: what OPENSSL_INIT_LOAD_CRYPTO_STRINGS runs, global
 * in libcrypto.a but not exported by libcrypto.so. Referenced weakly, so a static link (the
 * release binary) finds it and a dynamic one leaves it null. Returns 1 when the texts loaded. */
extern int ossl_err_load_crypto_strings(void) __attribute__((weak));
static inline int CTokenShim_load_error_texts(void) {
    return ossl_err_load_crypto_strings ? ossl_err_load_crypto_strings() : 0;
}

#endif
