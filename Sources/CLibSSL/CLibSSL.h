/* The system OpenSSL 3 libssl, for TokenKit's HTTPS client (fetching a JWKS).
 * Kept apart from COpenSSL so that only the code that fetches over TLS sees libssl.
 * Swift cannot import function-like macros; the few the client needs are wrapped here
 * as static inline functions named CTokenShim_<OpenSSLName>. */
#ifndef TOKENCTL_CLIBSSL_H
#define TOKENCTL_CLIBSSL_H

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

static inline int CTokenShim_SSL_CTX_set_min_proto_version_TLS1_2(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

static inline int CTokenShim_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline void CTokenShim_SSL_CTX_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

#endif
