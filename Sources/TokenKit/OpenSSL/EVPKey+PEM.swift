internal import COpenSSL

/// What a PEM block holds, from its label.
enum PEMContent: Sendable {
    /// PKCS#8 (plain or encrypted), PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`.
    case privateKey
    /// SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY`.
    case publicKey
    /// An X.509 certificate; its subject public key is used.
    case certificate
}

extension EVPKey {
    // MARK: - Reading

    /// Reads one PEM block. A password callback is always installed, so OpenSSL never
    /// prompts on the terminal; without a password, encrypted keys fail.
    ///
    /// - Throws: ``TokenError/Code/malformedKey`` (unreadable, wrong password, unsupported
    ///   type), ``TokenError/Code/weakKey`` (RSA under 2048 bits).
    /// OpenSSL reads `text` through a read-only memory BIO, without copying it; it decodes
    /// the base64 into its own buffers, which it cleanses itself. `text` is the caller's to wipe.
    /// The common unencrypted forms take OpenSSL's typed decoders (``readTyped(pemBlock:content:)``);
    /// everything else, and anything that path does not read, OpenSSL's generic decoder chain
    /// (``readGeneric(pemBlock:content:password:)``). Both end in the same checks.
    static func read(pemBlock text: [UInt8], content: PEMContent, password: [UInt8]?) throws -> EVPKey {
        if let pointer = readTyped(pemBlock: text, content: content) {
            let key = try adopt(pointer, isPrivate: content == .privateKey)
            try key.validate()
            return key
        }
        return try readGeneric(pemBlock: text, content: content, password: password)
    }

    /// Reads one PEM block through OpenSSL's generic PEM readers and decoder chain.
    static func readGeneric(pemBlock text: [UInt8], content: PEMContent, password: [UInt8]?) throws -> EVPKey {
        if content == .privateKey, let cipher = legacyPEMCipherName(text) {
            OpenSSLRuntime.registerLegacyPEMCipher(named: cipher)
        }
        let box = PasswordBox(password)
        let pointer: OpaquePointer? = try text.withNonNullBytes { bytes, count in
            guard let bio = BIO_new_mem_buf(bytes, Int32(count)) else {
                throw OpenSSLError.backendFailure("BIO_new_mem_buf")
            }
            defer { BIO_free(bio) }
            let userData = Unmanaged.passUnretained(box).toOpaque()
            switch content {
            case .privateKey:
                return PEM_read_bio_PrivateKey(bio, nil, passwordCallback, userData)
            case .publicKey:
                return readPublicKey(bio)
            case .certificate:
                guard let certificate = PEM_read_bio_X509(bio, nil, passwordCallback, userData) else { return nil }
                defer { X509_free(certificate) }
                return X509_get_pubkey(certificate)
            }
        }
        guard let pointer else {
            switch content {
            case .privateKey:
                throw OpenSSLError.malformedKey(
                    password == nil
                        ? "the private key PEM could not be read"
                        : "the private key PEM could not be read or decrypted (wrong password?)")
            case .publicKey: throw OpenSSLError.malformedKey("the public key PEM could not be read")
            case .certificate: throw OpenSSLError.malformedKey("the certificate PEM could not be read")
            }
        }
        OpenSSLError.clear()
        let key = try adopt(pointer, isPrivate: content == .privateKey)
        try key.validate()
        return key
    }

    /// The cipher named by a legacy encrypted PEM block's `DEK-Info: NAME,IV` header line.
    static func legacyPEMCipherName(_ text: [UInt8]) -> String? {
        guard let start = PEMBlock.find(Array("\nDEK-Info:".utf8), in: text, from: 0) else { return nil }
        var index = start + 10
        while index < text.count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
        var name: [UInt8] = []
        while index < text.count, text[index] != UInt8(ascii: ","), text[index] != 0x0A, name.count < 64 {
            name.append(text[index])
            index += 1
        }
        return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
    }

    /// SPKI or PKCS#1 public keys through OpenSSL 3's decoder (`PEM_read_bio_PUBKEY` reads
    /// only SPKI, and the PKCS#1 reader is deprecated).
    private static func readPublicKey(_ bio: OpaquePointer) -> OpaquePointer? {
        // The decoder keeps the address of the result slot and writes it during
        // OSSL_DECODER_from_bio, so the slot must outlive the first call: `&local` would
        // only be valid during OSSL_DECODER_CTX_new_for_pkey itself.
        let slot = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        defer { slot.deallocate() }
        // The decoder also keeps the input type pointer (it does not copy it): pass a C string
        // that lives as long as the decoder, not a temporary bridged from a Swift string.
        let inputType = strdup("PEM")
        defer { free(inputType) }
        guard
            let decoder = OSSL_DECODER_CTX_new_for_pkey(
                slot, inputType, nil, nil, CTokenShim_EVP_PKEY_PUBLIC_KEY(), nil, nil)
        else { return nil }
        defer { OSSL_DECODER_CTX_free(decoder) }
        guard OSSL_DECODER_from_bio(decoder, bio) == 1 else {
            if let pointer = slot.pointee { EVP_PKEY_free(pointer) }
            return nil
        }
        return slot.pointee
    }

    /// What public key structure `bytes` begin with, if any: a DER-encoded SPKI public key,
    /// an X.509 certificate or a PKCS#1 `RSAPublicKey` (the PyJWT guard against using public
    /// key bytes as an HMAC secret). Trailing bytes (a newline, a NUL) do not hide it.
    static func derPublicKeyKind(_ bytes: [UInt8]) -> String? {
        defer { OpenSSLError.clear() }
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, buffer.count > 2, base[0] == 0x30 else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            if let key = d2i_PUBKEY(nil, &cursor, buffer.count) {
                EVP_PKEY_free(key)
                return "a DER public key (SubjectPublicKeyInfo)"
            }
            cursor = base
            if let certificate = d2i_X509(nil, &cursor, buffer.count) {
                X509_free(certificate)
                return "a DER certificate"
            }
            cursor = base
            if let key = d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count) {
                EVP_PKEY_free(key)
                return "a DER RSA public key (PKCS#1)"
            }
            return nil
        }
    }

    // MARK: - Writing

    /// The SPKI `PUBLIC KEY` PEM.
    func publicPEM() throws -> String {
        try EVPKey.writeToMemory("PEM_write_bio_PUBKEY") { PEM_write_bio_PUBKEY($0, pointer) }
    }

    /// The unencrypted PKCS#8 `PRIVATE KEY` PEM.
    func privatePEM() throws -> String {
        try EVPKey.writeToMemory("PEM_write_bio_PrivateKey") {
            PEM_write_bio_PKCS8PrivateKey($0, pointer, nil, nil, 0, nil, nil)
        }
    }

    private static func writeToMemory(_ what: String, _ write: (OpaquePointer) -> Int32) throws -> String {
        guard let method = BIO_s_mem(), let bio = BIO_new(method) else {
            throw OpenSSLError.backendFailure("BIO_new")
        }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw OpenSSLError.backendFailure(what) }
        var data: UnsafeMutablePointer<CChar>?
        let length = CTokenShim_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { throw OpenSSLError.backendFailure(what) }
        let buffer = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// The password handed to OpenSSL's PEM password callback.
private final class PasswordBox {
    let password: [UInt8]?
    init(_ password: [UInt8]?) { self.password = password }
}

/// OpenSSL's `pem_password_cb`: copies the password, or fails (-1) when there is none or it
/// does not fit. It never prompts.
private let passwordCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) ->
    Int32 = { buffer, size, _, userData in
        guard let buffer, let userData else { return -1 }
        let box = Unmanaged<PasswordBox>.fromOpaque(userData).takeUnretainedValue()
        guard let password = box.password, password.count <= Int(size) else { return -1 }
        password.withUnsafeBytes { source in
            if let base = source.baseAddress {
                UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: source.count)
            }
        }
        return Int32(password.count)
    }
