internal import COpenSSL

extension EVPKey {
    /// The fast way to read the common PEM keys: OpenSSL's PEM armour reader (`PEM_read_bio`,
    /// the one its decoder chain uses) turns the block into DER, and the key type, known
    /// from the label or from the PKCS#8 algorithm identifier, picks OpenSSL's typed decoder
    /// (`d2i_PrivateKey` for EC, RSA, Ed25519 and Ed448; `d2i_PUBKEY` for SPKI). OpenSSL 3.0's
    /// generic `OSSL_DECODER` chain, which tries every decoder it has, cost about a quarter of
    /// a one-shot `sign ES256` (3.2 of 12 million instructions in a C test).
    ///
    /// Returns `nil` whenever this path does not apply or does not succeed: PEM headers (a
    /// legacy encrypted key), `ENCRYPTED PRIVATE KEY`, `RSA PUBLIC KEY`, certificates, other
    /// PKCS#8 algorithms (RSA-PSS, X25519, DSA...), DER that does not decode or has bytes
    /// after the key. The caller then reads the block the generic way, so every key accepted
    /// or refused before is accepted or refused the same way, with the same message. The
    /// decoded DER, which may be a private key, is cleansed before it is freed.
    static func readTyped(pemBlock text: [UInt8], content: PEMContent) -> OpaquePointer? {
        guard content != .certificate else { return nil }
        defer { OpenSSLError.clear() }
        return text.withNonNullBytes { bytes, count -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(bytes, Int32(count)) else { return nil }
            defer { BIO_free(bio) }
            var name: UnsafeMutablePointer<CChar>?
            var header: UnsafeMutablePointer<CChar>?
            var data: UnsafeMutablePointer<UInt8>?
            var length = 0
            guard PEM_read_bio(bio, &name, &header, &data, &length) == 1 else { return nil }
            defer {
                CTokenShim_OPENSSL_free(name)
                CTokenShim_OPENSSL_free(header)
                if let data { CRYPTO_clear_free(data, length, nil, 0) }
            }
            guard let name, let header, header.pointee == 0, let data, length > 0 else { return nil }
            let der = UnsafeBufferPointer(start: data, count: length)
            switch (content, String(cString: name)) {
            case (.publicKey, "PUBLIC KEY"):
                if let key = ecPublicKey(spki: der) { return key }
                return decodeWhole(der) { d2i_PUBKEY(nil, &$0, $1) }
            case (.privateKey, "PRIVATE KEY"):
                if let key = ecPrivateKey(pkcs8: der) { return key }
                guard let type = pkcs8KeyType(der) else { return nil }
                return decodeWhole(der) { d2i_PrivateKey(type, nil, &$0, $1) }
            case (.privateKey, "EC PRIVATE KEY"):
                var reader = DERReader(der)
                if let key = ecPrivateKey(sec1: &reader, curve: nil) {
                    if reader.isAtEnd { return key }
                    EVP_PKEY_free(key)
                }
                return decodeWhole(der) { d2i_PrivateKey(EVP_PKEY_EC, nil, &$0, $1) }
            case (.privateKey, "RSA PRIVATE KEY"):
                return decodeWhole(der) { d2i_PrivateKey(EVP_PKEY_RSA, nil, &$0, $1) }
            default:
                return nil
            }
        }
    }

    /// An EC public key on one of the four supported curves, from an SPKI with a named curve
    /// and an uncompressed point and nothing after it, built from its point with
    /// ``ecKeyPointer(curve:point:scalar:)`` (which refuses a point off the curve): even `d2i_PUBKEY` goes
    /// through OpenSSL 3.0's decoder set-up, about a quarter of a one-shot `verify ES256`.
    /// `nil` for anything else, or when OpenSSL refuses the point: the caller then decodes
    /// the SPKI as before, and fails or succeeds as before.
    static func ecPublicKey(spki der: UnsafeBufferPointer<UInt8>) -> OpaquePointer? {
        var reader = DERReader(der)
        // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier { id-ecPublicKey, namedCurve },
        //                                     subjectPublicKey BIT STRING }
        guard var info = reader.enter(tag: 0x30), reader.isAtEnd, var algorithm = info.enter(tag: 0x30),
            let oid = algorithm.read(tag: 0x06), oid.elementsEqual([0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]),
            let curveOID = algorithm.read(tag: 0x06), algorithm.isAtEnd,
            let curve = namedCurve(Array(curveOID)),
            let bits = info.read(tag: 0x03), info.isAtEnd
        else { return nil }
        let point = Array(bits)
        let size = curve.coordinateByteCount
        guard point.count == 2 + 2 * size, point[0] == 0x00, point[1] == 0x04 else { return nil }
        defer { OpenSSLError.clear() }
        return ecKeyPointer(curve: curve, point: Array(point[1...]), scalar: nil)
    }

    /// An EC private key from a PKCS#8 `PrivateKeyInfo` holding a SEC1 `ECPrivateKey` with
    /// its public point (see ``ecPrivateKey(sec1:curve:)``); `nil` for anything else.
    static func ecPrivateKey(pkcs8 der: UnsafeBufferPointer<UInt8>) -> OpaquePointer? {
        var reader = DERReader(der)
        // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { id-ecPublicKey,
        //                                namedCurve }, privateKey OCTET STRING }
        guard var info = reader.enter(tag: 0x30), reader.isAtEnd,
            let version = info.read(tag: 0x02), version.elementsEqual([0x00]),
            var algorithm = info.enter(tag: 0x30),
            let oid = algorithm.read(tag: 0x06), oid.elementsEqual([0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]),
            let curveOID = algorithm.read(tag: 0x06), algorithm.isAtEnd,
            let curve = namedCurve(Array(curveOID)),
            var inner = info.enter(tag: 0x04), info.isAtEnd,
            let key = ecPrivateKey(sec1: &inner, curve: curve)
        else { return nil }
        guard inner.isAtEnd else {
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// An EC private key from a SEC1 `ECPrivateKey` with a private scalar of the curve's size,
    /// a named curve (given by the PKCS#8 wrapper, or by the parameters, which must agree with
    /// it) and an uncompressed public point, built with ``ecKeyPointer(curve:point:scalar:)``: OpenSSL 3.0's
    /// decoder set-up for a private key costs about a fifth of a one-shot `sign ES256`. The
    /// caller's checks follow (the scalar must match the point). `nil` for anything else (no
    /// public point, explicit parameters, compressed point...): the caller then decodes the
    /// DER as before. The scalar is copied into a buffer that is wiped when released.
    static func ecPrivateKey(sec1 reader: inout DERReader, curve given: ECCurve?) -> OpaquePointer? {
        // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
        //                             [0] parameters OPTIONAL, [1] publicKey BIT STRING OPTIONAL }
        guard var key = reader.enter(tag: 0x30), let version = key.read(tag: 0x02), version.elementsEqual([0x01]),
            let scalar = key.read(tag: 0x04)
        else { return nil }
        var curve = given
        if var parameters = key.enter(tag: 0xA0) {
            guard let oid = parameters.read(tag: 0x06), parameters.isAtEnd, let named = namedCurve(Array(oid)),
                given == nil || given == named
            else { return nil }
            curve = named
        }
        guard let curve, var publicKey = key.enter(tag: 0xA1), key.isAtEnd,
            let bits = publicKey.read(tag: 0x03), publicKey.isAtEnd
        else { return nil }
        let size = curve.coordinateByteCount
        guard scalar.count == size, bits.count == 2 + 2 * size,
            bits[bits.startIndex] == 0x00, bits[bits.startIndex + 1] == 0x04
        else { return nil }
        defer { OpenSSLError.clear() }
        let secret = SecretBytes(copying: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: scalar)))
        return ecKeyPointer(curve: curve, point: Array(bits.dropFirst()), scalar: secret)
    }

    /// The curve of a namedCurve OID, for the four curves TokenKit signs with.
    static func namedCurve(_ oid: [UInt8]) -> ECCurve? {
        switch oid {
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: return .p256  // prime256v1
        case [0x2B, 0x81, 0x04, 0x00, 0x22]: return .p384  // secp384r1
        case [0x2B, 0x81, 0x04, 0x00, 0x23]: return .p521  // secp521r1
        case [0x2B, 0x81, 0x04, 0x00, 0x0A]: return .secp256k1
        default: return nil
        }
    }

    /// Runs a `d2i` function over all of `der`; the key only when it used every byte.
    private static func decodeWhole(
        _ der: UnsafeBufferPointer<UInt8>,
        _ decode: (inout UnsafePointer<UInt8>?, Int) -> OpaquePointer?
    ) -> OpaquePointer? {
        guard let base = der.baseAddress else { return nil }
        var cursor: UnsafePointer<UInt8>? = base
        guard let key = decode(&cursor, der.count) else { return nil }
        guard let end = cursor, end - base == der.count else {
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// The OpenSSL key type named by a PKCS#8 `PrivateKeyInfo`'s algorithm identifier, for
    /// the four this path reads; `nil` for any other algorithm or for DER it cannot walk.
    static func pkcs8KeyType(_ der: UnsafeBufferPointer<UInt8>) -> Int32? {
        var reader = DERReader(der)
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, ... }
        guard var info = reader.enter(tag: 0x30), info.skip(tag: 0x02),
            var algorithm = info.enter(tag: 0x30), let oid = algorithm.read(tag: 0x06)
        else { return nil }
        switch Array(oid) {
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]: return EVP_PKEY_EC  // id-ecPublicKey
        case [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]: return EVP_PKEY_RSA  // rsaEncryption
        case [0x2B, 0x65, 0x70]: return EVP_PKEY_ED25519  // id-Ed25519
        case [0x2B, 0x65, 0x71]: return EVP_PKEY_ED448  // id-Ed448
        default: return nil
        }
    }
}

/// A minimal reader of DER TLVs (definite lengths only), enough to find an algorithm OID.
struct DERReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.init(bytes, from: 0, to: bytes.count) }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        self.bytes = bytes
        self.index = start
        self.end = end
    }

    /// The content range of the next element if its tag is `tag`, advancing past it.
    private mutating func next(tag: UInt8) -> Range<Int>? {
        guard index + 2 <= end, bytes[index] == tag else { return nil }
        var cursor = index + 1
        var length = Int(bytes[cursor])
        cursor += 1
        if length >= 0x80 {
            let count = length & 0x7F
            guard (1...4).contains(count), cursor + count <= end else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard length <= end - cursor else { return nil }
        index = cursor + length
        return cursor..<cursor + length
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { index == end }

    /// A reader over the next element's content (a SEQUENCE's members).
    mutating func enter(tag: UInt8) -> DERReader? {
        guard let range = next(tag: tag) else { return nil }
        return DERReader(bytes, from: range.lowerBound, to: range.upperBound)
    }

    /// Skips the next element; `false` when its tag is not `tag`.
    mutating func skip(tag: UInt8) -> Bool { next(tag: tag) != nil }

    /// The next element's content bytes.
    mutating func read(tag: UInt8) -> UnsafeBufferPointer<UInt8>.SubSequence? {
        guard let range = next(tag: tag) else { return nil }
        return bytes[range]
    }
}
