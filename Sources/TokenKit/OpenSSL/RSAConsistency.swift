internal import COpenSSL

/// Checks that an RSA private key's parts belong together, with OpenSSL's BIGNUM arithmetic
/// and without primality tests (see ``EVPKey/validate()``).
enum RSAConsistency {
    /// - Throws: ``TokenError/Code/malformedKey`` when n ≠ pq, de ≢ 1 (mod p−1 or q−1),
    ///   dp ≠ d mod (p−1), dq ≠ d mod (q−1) or q·qi ≢ 1 (mod p).
    static func check(_ key: EVPKey) throws {
        let names = ["n", "e", "d", "rsa-factor1", "rsa-factor2", "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"]
        let values = names.map { EVPKey.bignumParameter(key.pointer, $0) }
        defer { for value in values { if let value { BN_clear_free(value) } } }
        let present = values.compactMap { $0 }
        guard present.count == names.count else {
            if values[2] == nil { throw TokenError.malformedKey("the RSA private key has no private exponent") }
            // No CRT parts: fall back to OpenSSL's own (slower) pairwise check.
            try pairwiseCheck(key)
            return
        }
        let (n, e, d, p, q, dp, dq, qi) = (
            present[0], present[1], present[2], present[3], present[4], present[5], present[6], present[7]
        )
        guard let context = BN_CTX_new() else { throw OpenSSLError.backendFailure("BN_CTX_new") }
        defer { BN_CTX_free(context) }
        guard let t = BN_new(), let p1 = BN_dup(p), let q1 = BN_dup(q) else {
            throw OpenSSLError.backendFailure("BN_new")
        }
        defer {
            BN_clear_free(t)
            BN_clear_free(p1)
            BN_clear_free(q1)
        }
        var consistent =
            BN_mul(t, p, q, context) == 1 && BN_cmp(t, n) == 0
            && BN_sub_word(p1, 1) == 1 && BN_sub_word(q1, 1) == 1
            && BN_is_zero(p1) == 0 && BN_is_zero(q1) == 0
        consistent = consistent && BN_mod_mul(t, d, e, p1, context) == 1 && BN_is_one(t) == 1
        consistent = consistent && BN_mod_mul(t, d, e, q1, context) == 1 && BN_is_one(t) == 1
        consistent = consistent && BN_div(nil, t, d, p1, context) == 1 && BN_cmp(t, dp) == 0
        consistent = consistent && BN_div(nil, t, d, q1, context) == 1 && BN_cmp(t, dq) == 0
        consistent = consistent && BN_cmp(qi, p) < 0 && BN_mod_mul(t, qi, q, p, context) == 1 && BN_is_one(t) == 1
        guard consistent else {
            OpenSSLError.clear()
            throw TokenError.malformedKey("the RSA private key parts do not match each other or the public key")
        }
    }

    private static func pairwiseCheck(_ key: EVPKey) throws {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw OpenSSLError.backendFailure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_pairwise_check(context) == 1 else {
            throw OpenSSLError.malformedKey("the private key does not match its public key")
        }
    }
}
