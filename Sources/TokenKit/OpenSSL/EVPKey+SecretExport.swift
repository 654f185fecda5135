internal import COpenSSL

extension EVPKey {
    /// A private BIGNUM parameter (`d` and the RSA factors and CRT members) written by
    /// OpenSSL straight into an owned, wiped buffer; `padTo` pads on the left. `nil` when
    /// the key has no such parameter. OpenSSL's temporary BIGNUM is freed with `BN_clear_free`.
    func secretBignum(_ name: String, padTo width: Int? = nil) -> SecretBytes? {
        guard let bignum = EVPKey.bignumParameter(pointer, name) else { return nil }
        defer { BN_clear_free(bignum) }
        return EVPKey.secretBytes(of: bignum, padTo: width)
    }

    /// An EC private key's scalar d, padded to the curve's size, written by OpenSSL straight
    /// into an owned, wiped buffer; `nil` for a public key.
    func secretECScalar(_ curve: ECCurve) -> SecretBytes? {
        guard let ecKey, let scalar = CTokenShim_EC_KEY_get0_private_key(ecKey) else { return nil }
        return EVPKey.secretBytes(of: scalar, padTo: curve.coordinateByteCount)
    }

    /// The big-endian bytes of a private BIGNUM, written by OpenSSL straight into an owned,
    /// wiped buffer; `padTo` pads on the left. `nil` when they do not fit.
    private static func secretBytes(of bignum: OpaquePointer, padTo width: Int?) -> SecretBytes? {
        let count = width ?? max(1, Int(CTokenShim_BN_num_bytes(bignum)))
        let secret = SecretBytes(count: count) { buffer in
            let written = BN_bn2binpad(bignum, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count))
            return written == Int32(count) ? count : -1
        }
        guard secret.count == count else {
            OpenSSLError.clear()
            return nil
        }
        return secret
    }

    /// The raw private key of an Ed25519/Ed448 key, written by OpenSSL straight into an
    /// owned, wiped buffer.
    ///
    /// - Throws: ``TokenError/Code/backendFailure``.
    func secretRawPrivateKey() throws -> SecretBytes {
        var length = 0
        guard EVP_PKEY_get_raw_private_key(pointer, nil, &length) == 1 else {
            throw OpenSSLError.backendFailure("EVP_PKEY_get_raw_private_key")
        }
        return try SecretBytes(count: length) { buffer in
            var written = buffer.count
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard EVP_PKEY_get_raw_private_key(pointer, bytes, &written) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_get_raw_private_key")
            }
            return written
        }
    }
}
