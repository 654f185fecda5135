/* The system OpenSSL 3 libcrypto, as TokenKit sees it.
 * Swift cannot import function-like macros or computed constants; the few TokenKit
 * needs are wrapped here as static inline functions named CTokenShim_<OpenSSLName>. */
#ifndef TOKENCTL_COPENSSL_H
#define TOKENCTL_COPENSSL_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/conf.h>
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

/* Not OpenSSL: glibc's allocator, reached through TokenKit's one C header. With --jobs, a
 * worker thread allocates each block's output in its own malloc arena and the writing thread
 * frees it; glibc then shrinks that arena by default (128 KiB of free memory at its top) and
 * the worker grows it again, block after block: ~50,000 page faults over 200,000 tokens of
 * `decode --jobs 2`, ~1,300 with a 16 MiB threshold. Setting the trim threshold also stops
 * glibc from raising its mmap threshold as it goes (mallopt(3)), so it is set too: else every
 * allocation of 128 KiB or more (a chunk's result slots: `inspect-size --jobs 2` has 1,024
 * large results a chunk) is mapped and unmapped each time, ~24,000 page faults over 200,000
 * lines. Memory in use stays what it was. */
#if defined(__GLIBC__)
#include <malloc.h>
static inline void CTokenShim_keep_freed_memory(void) {
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}
#else
static inline void CTokenShim_keep_freed_memory(void) {}
#endif

static inline long CTokenShim_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline int CTokenShim_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }
static inline int CTokenShim_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int CTokenShim_BN_num_bytes(const BIGNUM *bn) { return BN_num_bytes(bn); }
static inline void CTokenShim_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }

/* Below, OpenSSL functions deprecated in 3.0 and present in every 3.x release: the low-level
 * SHA-2 functions and the EC_KEY API, their deprecation silenced here alone. */
#if defined(OPENSSL_NO_DEPRECATED_3_0)
#error "TokenKit needs OpenSSL's SHA-2 and EC_KEY functions, which an OpenSSL built with no-deprecated lacks"
#endif

/* A SHA-2 hash (bits 256, 384 or 512) of `count` bytes into `out`, through OpenSSL's
 * low-level SHA functions; 1 on success, 0 on failure or another size. The caller hashes
 * through EVP instead whenever an OpenSSL configuration is loaded
 * (OpenSSLRuntime.mayUseBuiltinCode). Why not EVP: EVP_Digest,
 * and in 3.0 even SHA256(), fetch the digest from the provider, and the first digest fetch of
 * a process builds a method for every digest the provider offers (~450,000 instructions: a
 * one-shot `verify ES256` went from 3.30M to 2.80M without it; `sign ES256` still pays it, as
 * OpenSSL's ECDSA nonce derivation fetches SHA-512 itself). The low-level functions are the
 * same code the provider runs. */
#include <openssl/sha.h>
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline int CTokenShim_sha2(int bits, const void *data, size_t count, unsigned char *out) {
    if (bits == 256) {
        SHA256_CTX context;
        int ok = SHA256_Init(&context) && SHA256_Update(&context, data, count) && SHA256_Final(out, &context);
        OPENSSL_cleanse(&context, sizeof context);
        return ok;
    }
    if (bits == 384 || bits == 512) {
        SHA512_CTX context;
        int ok = (bits == 384 ? SHA384_Init(&context) : SHA512_Init(&context))
            && (bits == 384 ? SHA384_Update(&context, data, count) : SHA512_Update(&context, data, count))
            && (bits == 384 ? SHA384_Final(out, &context) : SHA512_Final(out, &context));
        OPENSSL_cleanse(&context, sizeof context);
        return ok;
    }
    return 0;
}
#pragma clang diagnostic pop

/* OpenSSL's EC_KEY API. TokenKit holds EC keys as EC_KEYs and signs and verifies
 * with ECDSA_do_sign and ECDSA_do_verify, the functions OpenSSL's provider itself ends in. A
 * key built with EVP_PKEY_fromdata fetches the provider's key management, and a signature
 * through an EVP_PKEY_CTX its signature method, and a process's first fetch of each builds
 * every method of its kind (~440,000 and ~170,000 instructions): one-shot `verify ES256`
 * 2.80M -> 1.99M instructions, `sign ES256` 3.19M -> 2.55M. An EVP_PKEY holding an EC_KEY still
 * serves every EVP function (OpenSSL exports it to the provider when one needs it), which is
 * how TokenKit signs and verifies when an OpenSSL configuration is loaded: it calls
 * ECDSA_do_sign and ECDSA_do_verify, like CTokenShim_sha2, only without one
 * (OpenSSLRuntime.mayUseBuiltinCode). */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline EC_KEY *CTokenShim_EC_KEY_new(void) { return EC_KEY_new(); }
static inline void CTokenShim_EC_KEY_free(EC_KEY *key) { EC_KEY_free(key); }
static inline int CTokenShim_EC_KEY_set_group(EC_KEY *key, const EC_GROUP *group) { return EC_KEY_set_group(key, group); }
static inline int CTokenShim_EC_KEY_oct2key(EC_KEY *key, const unsigned char *bytes, size_t count) {
    return EC_KEY_oct2key(key, bytes, count, NULL);
}
static inline int CTokenShim_EC_KEY_set_private_key(EC_KEY *key, const BIGNUM *scalar) {
    return EC_KEY_set_private_key(key, scalar);
}
static inline const EC_GROUP *CTokenShim_EC_KEY_get0_group(const EC_KEY *key) { return EC_KEY_get0_group(key); }
static inline const EC_POINT *CTokenShim_EC_KEY_get0_public_key(const EC_KEY *key) { return EC_KEY_get0_public_key(key); }
static inline const BIGNUM *CTokenShim_EC_KEY_get0_private_key(const EC_KEY *key) { return EC_KEY_get0_private_key(key); }
/* Hands `key` to `pkey` (freed with it) on success. */
static inline int CTokenShim_EVP_PKEY_assign_EC_KEY(EVP_PKEY *pkey, EC_KEY *key) { return EVP_PKEY_assign_EC_KEY(pkey, key); }
/* The EC_KEY inside `pkey`, owned by it; for a provider key, a copy OpenSSL makes once and keeps. */
static inline EC_KEY *CTokenShim_EVP_PKEY_get0_EC_KEY(const EVP_PKEY *pkey) { return (EC_KEY *)EVP_PKEY_get0_EC_KEY(pkey); }
static inline ECDSA_SIG *CTokenShim_ECDSA_do_sign(const unsigned char *hash, int count, EC_KEY *key) {
    return ECDSA_do_sign(hash, count, key);
}
static inline int CTokenShim_ECDSA_do_verify(const unsigned char *hash, int count, const ECDSA_SIG *signature, EC_KEY *key) {
    return ECDSA_do_verify(hash, count, signature, key);
}

/* OpenSSL's HMAC_CTX functions over a legacy EVP_MD whose init, update and final are the
 * low-level SHA-2 functions (CTokenShim_sha2's), used like them only without a configuration
 * (OpenSSLRuntime.mayUseBuiltinCode). Why: HMAC through EVP_MAC fetches the MAC and then its
 * digest (~0.8M instructions, 43 % of a one-shot `verify HS256`), and a provider digest
 * context is freed and allocated again by every EVP_MD_CTX_copy_ex, which HMAC does twice a
 * message. A digest made with EVP_MD_meth_new takes OpenSSL's legacy path: no fetch, and a
 * copy into a context of the same digest reuses its buffer. The HMAC construction is
 * OpenSSL's (HMAC_Init_ex pads and hashes the key; HMAC_Final cleanses the digest states), and
 * HMAC_CTX_free cleanses the keyed states. */
static inline int CTokenShim_sha256_init(EVP_MD_CTX *context) { return SHA256_Init(EVP_MD_CTX_md_data(context)); }
static inline int CTokenShim_sha256_update(EVP_MD_CTX *context, const void *data, size_t count) {
    return SHA256_Update(EVP_MD_CTX_md_data(context), data, count);
}
static inline int CTokenShim_sha256_final(EVP_MD_CTX *context, unsigned char *out) {
    return SHA256_Final(out, EVP_MD_CTX_md_data(context));
}
static inline int CTokenShim_sha384_init(EVP_MD_CTX *context) { return SHA384_Init(EVP_MD_CTX_md_data(context)); }
static inline int CTokenShim_sha384_update(EVP_MD_CTX *context, const void *data, size_t count) {
    return SHA384_Update(EVP_MD_CTX_md_data(context), data, count);
}
static inline int CTokenShim_sha384_final(EVP_MD_CTX *context, unsigned char *out) {
    return SHA384_Final(out, EVP_MD_CTX_md_data(context));
}
static inline int CTokenShim_sha512_init(EVP_MD_CTX *context) { return SHA512_Init(EVP_MD_CTX_md_data(context)); }
static inline int CTokenShim_sha512_update(EVP_MD_CTX *context, const void *data, size_t count) {
    return SHA512_Update(EVP_MD_CTX_md_data(context), data, count);
}
static inline int CTokenShim_sha512_final(EVP_MD_CTX *context, unsigned char *out) {
    return SHA512_Final(out, EVP_MD_CTX_md_data(context));
}

/* A new legacy EVP_MD for SHA-256, -384 or -512 (bits) over the low-level functions, or NULL.
 * The caller makes each once (thread-safely) and never frees it. */
static inline EVP_MD *CTokenShim_new_builtin_sha2(int bits) {
    int nid = bits == 256 ? NID_sha256 : bits == 384 ? NID_sha384 : bits == 512 ? NID_sha512 : NID_undef;
    if (nid == NID_undef) return NULL;
    EVP_MD *md = EVP_MD_meth_new(nid, NID_undef);
    if (md == NULL) return NULL;
    int ok = EVP_MD_meth_set_result_size(md, bits / 8)
        && EVP_MD_meth_set_input_blocksize(md, bits == 256 ? SHA256_CBLOCK : SHA512_CBLOCK)
        && EVP_MD_meth_set_app_datasize(md, bits == 256 ? (int)sizeof(SHA256_CTX) : (int)sizeof(SHA512_CTX))
        && EVP_MD_meth_set_init(md, bits == 256 ? CTokenShim_sha256_init
                                  : bits == 384 ? CTokenShim_sha384_init : CTokenShim_sha512_init)
        && EVP_MD_meth_set_update(md, bits == 256 ? CTokenShim_sha256_update
                                    : bits == 384 ? CTokenShim_sha384_update : CTokenShim_sha512_update)
        && EVP_MD_meth_set_final(md, bits == 256 ? CTokenShim_sha256_final
                                   : bits == 384 ? CTokenShim_sha384_final : CTokenShim_sha512_final);
    if (!ok) {
        EVP_MD_meth_free(md);
        return NULL;
    }
    return md;
}

static inline HMAC_CTX *CTokenShim_HMAC_CTX_new(void) { return HMAC_CTX_new(); }
static inline void CTokenShim_HMAC_CTX_free(HMAC_CTX *context) { HMAC_CTX_free(context); }
/* Keys `context` (key non-NULL, even for an empty key), or with key NULL and md NULL restarts it
 * from its keyed state. */
static inline int CTokenShim_HMAC_Init_ex(HMAC_CTX *context, const void *key, int count, const EVP_MD *md) {
    return HMAC_Init_ex(context, key, count, md, NULL);
}
static inline int CTokenShim_HMAC_Update(HMAC_CTX *context, const unsigned char *data, size_t count) {
    return HMAC_Update(context, data, count);
}
static inline int CTokenShim_HMAC_Final(HMAC_CTX *context, unsigned char *out, unsigned int *count) {
    return HMAC_Final(context, out, count);
}
#pragma clang diagnostic pop

/* OpenSSL's own loader of its error texts: what OPENSSL_INIT_LOAD_CRYPTO_STRINGS runs, global
 * in libcrypto.a but not exported by libcrypto.so. Referenced weakly, so a static link (the
 * release binary) finds it and a dynamic one leaves it null. Returns 1 when the texts loaded. */
extern int ossl_err_load_crypto_strings(void) __attribute__((weak));
static inline int CTokenShim_load_error_texts(void) {
    return ossl_err_load_crypto_strings ? ossl_err_load_crypto_strings() : 0;
}

#endif
