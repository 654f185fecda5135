internal import COpenSSL

/// One owned OpenSSL `EVP_PKEY` (RSA, EC or Ed25519/Ed448), freed when the last reference goes.
///
/// `EVP_PKEY` is safe to use from several threads for signing and verifying once built, so
/// the class is `@unchecked Sendable`; it never mutates the key after construction.
final class EVPKey: @unchecked Sendable {
    /// What kind of key this is, in terms TokenKit understands.
    enum Kind: Sendable, Hashable {
        case rsa(bits: Int)
        case ec(ECCurve)
        case okp(OKPCurve)
    }

    /// The smallest and largest RSA modulus TokenKit accepts.
    static let minimumRSABits = 2048
    static let maximumRSABits = 16384

    let pointer: OpaquePointer
    let kind: Kind
    let isPrivate: Bool
    /// An EC key's `EC_KEY`, owned by ``pointer``: what the EC key check and export read, and
    /// what ECDSA signs and verifies with when it may call the built-in code (see COpenSSL.h);
    /// `nil` for other kinds.
    let ecKey: OpaquePointer?

    private init(pointer: OpaquePointer, kind: Kind, isPrivate: Bool, ecKey: OpaquePointer?) {
        self.pointer = pointer
        self.kind = kind
        self.isPrivate = isPrivate
        self.ecKey = ecKey
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Another wrapper of the same OpenSSL key (its reference count raised once), for a thread
    /// of its own (``TokenVerifier/unsharedCopy()``); `nil` when OpenSSL refuses the reference.
    func unsharedCopy() -> EVPKey? {
        guard EVP_PKEY_up_ref(pointer) == 1 else { return nil }
        return EVPKey(pointer: pointer, kind: kind, isPrivate: isPrivate, ecKey: ecKey)
    }

    /// Takes ownership of `pointer` (freeing it on failure) after checking that it is a key
    /// type TokenKit signs with.
    ///
    /// - Throws: ``TokenError/Code/malformedKey`` for other key types, curves or multi-prime
    ///   RSA; ``TokenError/Code/weakKey`` for RSA under 2048 bits.
    static func adopt(_ pointer: OpaquePointer, isPrivate: Bool) throws -> EVPKey {
        do {
            let kind = try classify(pointer, isPrivate: isPrivate)
            var ecKey: OpaquePointer?
            if case .ec = kind {
                // A key built by TokenKit holds one already; OpenSSL copies a provider's key once.
                guard let inner = CTokenShim_EVP_PKEY_get0_EC_KEY(pointer) else {
                    throw OpenSSLError.backendFailure("EVP_PKEY_get0_EC_KEY")
                }
                ecKey = inner
            }
            return EVPKey(pointer: pointer, kind: kind, isPrivate: isPrivate, ecKey: ecKey)
        } catch {
            EVP_PKEY_free(pointer)
            OpenSSLError.clear()
            throw error
        }
    }

    private static func classify(_ pointer: OpaquePointer, isPrivate: Bool) throws -> Kind {
        switch EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_RSA:
            let bits = Int(EVP_PKEY_get_bits(pointer))
            if bits < minimumRSABits {
                throw TokenError(.weakKey, "RSA key has \(bits) bits; at least \(minimumRSABits) are required")
            }
            if bits > maximumRSABits {
                throw TokenError.malformedKey("RSA key has \(bits) bits; at most \(maximumRSABits) are supported")
            }
            if isPrivate, let third = bignumParameter(pointer, "rsa-factor3") {
                BN_clear_free(third)
                throw TokenError.malformedKey("multi-prime RSA keys are not supported")
            }
            return .rsa(bits: bits)
        case EVP_PKEY_EC:
            var buffer = [CChar](repeating: 0, count: 80)
            var length = 0
            guard EVP_PKEY_get_utf8_string_param(pointer, "group", &buffer, buffer.count, &length) == 1 else {
                throw TokenError.malformedKey("EC key has explicit curve parameters; only named curves are supported")
            }
            let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard let curve = ECCurve(groupName: name) else {
                throw TokenError.malformedKey(
                    "EC curve \(name) is not supported (use P-256, P-384, P-521 or secp256k1)")
            }
            return .ec(curve)
        case EVP_PKEY_ED25519:
            return .okp(.ed25519)
        case EVP_PKEY_ED448:
            return .okp(.ed448)
        case EVP_PKEY_RSA_PSS:
            throw TokenError.malformedKey(
                "RSASSA-PSS-restricted RSA keys are not supported; export the key as plain RSA")
        default:
            let name = EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
            throw TokenError.malformedKey("key type \(name) cannot sign JWTs (use RSA, EC, Ed25519 or Ed448)")
        }
    }

    // MARK: - Validation

    /// Checks a key built from untrusted components: a private key must match its public
    /// part, a public key must be valid (for EC: a point on the curve;
    /// for RSA an odd modulus and an odd exponent from 3 to 2^64).
    ///
    /// EC keys: ``checkECKey()``. RSA private keys are checked with OpenSSL's big-number
    /// arithmetic (n = pq, de ≡ 1 mod p−1 and q−1, CRT values) instead of
    /// `EVP_PKEY_pairwise_check`, which also tests p and q for primality, about 50 ms per
    /// 2048-bit key, which would dominate the start-up of every signing command.
    /// - Throws: ``TokenError/Code/malformedKey``.
    func validate() throws {
        switch kind {
        case .okp(let curve):
            // Ed25519/Ed448 keys built from raw bytes are checked by comparing the derived
            // public key with the given one; OpenSSL 3.0 has no further check for them, so
            // small-order and non-canonical public keys are refused here.
            if let weakness = EdwardsEncoding.weakness(try rawPublicKey(), curve: curve) {
                throw TokenError(.weakKey, "the \(curve.jwkName) public key is refused: \(weakness)")
            }
        case .ec:
            try checkECKey()
        case .rsa:
            // Not EVP_PKEY_public_check: for RSA it runs a Miller-Rabin test on n (about
            // 10 ms); a prime modulus would only hurt the key's owner.
            try checkRSAPublicParts()
            if isPrivate { try RSAConsistency.check(self) }
        }
    }

    private func checkRSAPublicParts() throws {
        guard let n = bignumBytes("n"), n.last.map({ $0 & 1 == 1 }) == true else {
            throw TokenError.malformedKey("the RSA modulus is not valid (even)")
        }
        guard let e = bignumBytes("e"), e.count <= 8, e.last.map({ $0 & 1 == 1 }) == true, e != [1] else {
            throw TokenError.malformedKey("the RSA public exponent is not an odd number between 3 and 2^64")
        }
    }

    // MARK: - Components

    /// Big-endian bytes of a public BIGNUM parameter (`n`, `e`, `qx`, `qy`), `nil` when
    /// absent. `padTo` pads on the left. The array is not wiped: private parameters are read
    /// with ``secretBignum(_:padTo:)`` instead.
    func bignumBytes(_ name: String, padTo width: Int? = nil) -> [UInt8]? {
        guard let bignum = EVPKey.bignumParameter(pointer, name) else {
            OpenSSLError.clear()
            return nil
        }
        defer { BN_clear_free(bignum) }
        let count = width ?? max(1, Int(CTokenShim_BN_num_bytes(bignum)))
        var bytes = [UInt8](repeating: 0, count: count)
        guard BN_bn2binpad(bignum, &bytes, Int32(count)) == Int32(count) else {
            OpenSSLError.clear()
            return nil
        }
        return bytes
    }

    static func bignumParameter(_ pointer: OpaquePointer, _ name: String) -> OpaquePointer? {
        var bignum: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &bignum) == 1 else {
            OpenSSLError.clear()
            return nil
        }
        return bignum
    }

    /// The raw public key of an Ed25519/Ed448 key.
    func rawPublicKey() throws -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(pointer, nil, &length) == 1 else {
            throw OpenSSLError.backendFailure("EVP_PKEY_get_raw_public_key")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1 else {
            throw OpenSSLError.backendFailure("EVP_PKEY_get_raw_public_key")
        }
        return Array(bytes.prefix(length))
    }
}
