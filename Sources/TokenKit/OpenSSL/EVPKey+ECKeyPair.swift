internal import COpenSSL

extension EVPKey {
    /// An EC key on `curve` from its uncompressed public point (`04 || x || y`) and, for a
    /// private key, its scalar, as an `EVP_PKEY` holding an `EC_KEY` (see COpenSSL.h) on a copy of
    /// the curve's shared group. Not yet checked beyond what decoding the point checks (coordinates
    /// in range, on the curve): the caller adopts and validates it. `nil` when OpenSSL refuses
    /// the point or fails; the caller owns the key.
    static func ecKeyPointer(curve: ECCurve, point: [UInt8], scalar: SecretBytes?) -> OpaquePointer? {
        guard let group = CurveGroup.of(curve).pointer, let ecKey = CTokenShim_EC_KEY_new() else { return nil }
        var owned: OpaquePointer? = ecKey  // until the EVP_PKEY takes it
        defer { if let owned { CTokenShim_EC_KEY_free(owned) } }
        guard CTokenShim_EC_KEY_set_group(ecKey, group) == 1,
            point.withNonNullBytes({ CTokenShim_EC_KEY_oct2key(ecKey, $0, $1) }) == 1
        else { return nil }
        if let scalar {
            // OpenSSL keeps a copy of its own.
            guard let bignum = scalar.secureBignum() else { return nil }
            defer { BN_clear_free(bignum) }
            guard CTokenShim_EC_KEY_set_private_key(ecKey, bignum) == 1 else { return nil }
        }
        guard let key = EVP_PKEY_new() else { return nil }
        guard CTokenShim_EVP_PKEY_assign_EC_KEY(key, ecKey) == 1 else {
            EVP_PKEY_free(key)
            return nil
        }
        owned = nil
        return key
    }

    /// Checks an EC key. A public key: its point is not the point at infinity and lies on the
    /// curve, which is all of OpenSSL's quick public check (decoding the point has already
    /// refused coordinates out of range). The full check's multiplication of the point by the
    /// group order proves nothing more on these curves: each has cofactor 1, so every point on
    /// it other than infinity has the group's prime order (OpenSSL 3.2 and later skip it too).
    /// A private key: 1 <= d < n and d·G = Q, computed with OpenSSL's fixed-base multiplication
    /// and compared as points, the pairwise part of `EVP_PKEY_pairwise_check`; that makes Q a
    /// point of the group other than infinity, so the public check is implied.
    ///
    /// - Throws: ``TokenError/Code/malformedKey``.
    func checkECKey() throws {
        defer { OpenSSLError.clear() }
        guard let ecKey, let group = CTokenShim_EC_KEY_get0_group(ecKey), let point = CTokenShim_EC_KEY_get0_public_key(ecKey)
        else { throw TokenError.malformedKey("the EC key has no public point") }
        guard isPrivate else {
            guard EC_POINT_is_at_infinity(group, point) == 0, EC_POINT_is_on_curve(group, point, nil) == 1 else {
                throw TokenError.malformedKey("the public key is not valid")
            }
            return
        }
        guard let scalar = CTokenShim_EC_KEY_get0_private_key(ecKey), let order = EC_GROUP_get0_order(group),
            BN_cmp(scalar, BN_value_one()) >= 0, BN_cmp(scalar, order) < 0
        else { throw TokenError.malformedKey("the private scalar d is out of range (from 1 to the curve's order minus 1)") }
        guard let derived = EC_POINT_new(group) else { throw OpenSSLError.backendFailure("EC_POINT_new") }
        defer { EC_POINT_clear_free(derived) }
        guard EC_POINT_mul(group, derived, scalar, nil, nil, nil) == 1 else { throw OpenSSLError.backendFailure("EC_POINT_mul") }
        guard EC_POINT_cmp(group, derived, point, nil) == 0 else {
            throw TokenError.malformedKey("the private key does not match its public key")
        }
    }

    /// The public point's coordinates, each padded to the curve's size.
    func ecCoordinates(_ curve: ECCurve) -> (x: [UInt8], y: [UInt8])? {
        let size = curve.coordinateByteCount
        guard let ecKey, let group = CTokenShim_EC_KEY_get0_group(ecKey), let point = CTokenShim_EC_KEY_get0_public_key(ecKey)
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: 1 + 2 * size)
        let written = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &bytes, bytes.count, nil)
        OpenSSLError.clear()
        guard written == bytes.count, bytes[0] == 0x04 else { return nil }
        return (Array(bytes[1...size]), Array(bytes[(size + 1)...]))
    }
}
