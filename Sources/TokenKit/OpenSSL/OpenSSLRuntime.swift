internal import COpenSSL

/// Process-wide OpenSSL settings.
public enum OpenSSLRuntime {
    /// Initialises libcrypto for a short-lived process: without OpenSSL's exit-time clean-up
    /// (`OPENSSL_INIT_NO_ATEXIT`), which frees every provider, algorithm and name table one
    /// by one when the process ends and the kernel is about to drop its memory anyway
    /// (measured at about 3 % of a one-shot `sign ES256`).
    ///
    /// OpenSSL's configuration file is read as usual, at the first cryptographic call, when it
    /// configures anything: it is where a system sets its providers and policies (a FIPS
    /// provider, for one), so `OPENSSL_CONF`, when set, is always honoured. The default file is
    /// skipped only when ``OpenSSLConfigFile/isInert(path:)`` finds it certainly configures
    /// nothing (Debian's, whose `[openssl_init]` is empty): parsing it cost about 0.78 million
    /// instructions, a fifth of a one-shot `verify HS256`, for no effect.
    /// Key material is unaffected: tokenctl's own key and secret objects wipe themselves
    /// when released, and OpenSSL cleanses key objects when they are freed.
    ///
    /// The random generator defaults to Hash_DRBG over SHA-256 (NIST SP 800-90A, seeded
    /// from the operating system as OpenSSL's default CTR_DRBG is) instead of CTR_DRBG over
    /// AES-256: instantiating CTR_DRBG fetches a cipher, which builds OpenSSL's table of every
    /// cipher, about a third of a one-shot `sign ES256` (whose ECDSA nonce needs the
    /// generator); SHA-256 is fetched anyway. This only sets the default: a `[random]`
    /// section in OpenSSL's configuration file, read later, still decides.
    ///
    /// OpenSSL's legacy table of cipher names (`OBJ_NAME`, what `EVP_get_cipherbyname`
    /// reads) is left empty (`OPENSSL_INIT_NO_ADD_ALL_CIPHERS`): OpenSSL 3.0 fills it with
    /// every cipher and copies each name into its algorithm name map at the first fetch,
    /// about 2 million instructions, a fifth to a third of a one-shot `sign`. Ciphers are
    /// fetched from the providers by name, and the providers list their own names and OIDs,
    /// so nothing TokenKit does needs the table except the legacy PEM encryption of a
    /// traditional key (`Proc-Type: 4,ENCRYPTED`), whose `DEK-Info` cipher is looked up there:
    /// ``registerLegacyPEMCipher(named:)`` adds that one cipher before such a key is read.
    ///
    /// OpenSSL's error texts are not loaded (`OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS`): OpenSSL
    /// loads all of them, about 3,000, when a thread first touches its error queue, which the
    /// configuration file's loading always does: about 0.9 million instructions, a fifth of a
    /// one-shot `sign HS256`, for texts that only a failure shows. The first failure reported
    /// loads them then (``OpenSSLError``), where libcrypto is linked statically (the release
    /// binary); with a shared libcrypto, which does not export the loader, the message
    /// carries OpenSSL's error code and the `openssl errstr` command that prints its text.
    ///
    /// The legacy table of digest names is left empty as well (`OPENSSL_INIT_NO_ADD_ALL_DIGESTS`):
    /// OpenSSL 3.0 copies its names into the name map at the first fetch too, about 0.64 million
    /// instructions, a sixth of a one-shot `verify HS256`. Digests are fetched by name; only
    /// certificate checks (the TLS of a JWKS fetch) read the table, taking a certificate
    /// signature's digest from its legacy NID (without it every signature is too weak), so
    /// ``registerLegacyDigests()`` fills it before a TLS context is made.
    ///
    /// Without a configuration, ECDSA, SHA-2 hashing and HMAC also call libcrypto's built-in
    /// code directly (``mayUseBuiltinCode``).
    public static func prepareForShortProcess() {
        var options = OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS
            | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS
        let configured = configurationMayMatter(environmentFile: getenv("OPENSSL_CONF").map { String(cString: $0) })
        if !configured { options |= OPENSSL_INIT_NO_LOAD_CONFIG }
        _ = OPENSSL_init_crypto(UInt64(options), nil)
        errorTextsSkipped = true
        mayUseBuiltinCode = !configured
        useDefaultRandomGenerator()
    }

    /// Whether ECDSA, SHA-2 hashing and HMAC may call libcrypto's built-in implementations
    /// (`ECDSA_do_sign`, `ECDSA_do_verify`, `SHA256_Init`..., `HMAC_CTX` over those) instead
    /// of going through a provider, which costs a method fetch (see COpenSSL.h). Only when
    /// ``prepareForShortProcess()`` left OpenSSL's configuration unloaded: the default
    /// provider, the only one then, runs that same code. With a configuration (which may
    /// select a FIPS provider or a property query), or in a process that did not call it,
    /// every operation goes through the providers the configuration chose. Set once, before
    /// any other thread starts.
    nonisolated(unsafe) static var mayUseBuiltinCode = false

    /// Whether OpenSSL's configuration file may configure something, so that it must be loaded:
    /// always when `OPENSSL_CONF` names one (`environmentFile`), else unless the default file
    /// reads as inert (``OpenSSLConfigFile/isInert(path:)``). A default file that cannot be
    /// read is left to OpenSSL, which decides as it always does.
    static func configurationMayMatter(environmentFile: String?) -> Bool {
        if environmentFile != nil { return true }
        guard let pointer = CONF_get1_default_config_file() else { return true }
        let path = String(cString: pointer)
        CRYPTO_free(pointer, #fileID, #line)
        return !OpenSSLConfigFile.isInert(path: path)
    }

    /// Whether ``prepareForShortProcess()`` skipped OpenSSL's error texts. Set once, before
    /// any other thread starts.
    nonisolated(unsafe) static var errorTextsSkipped = false

    /// Adds the provider cipher `name` (a PEM `DEK-Info` cipher such as `AES-256-CBC`) to
    /// OpenSSL's legacy name table, where the PEM reader looks it up; nothing when the
    /// providers have no such cipher (the read then fails as it would have).
    static func registerLegacyPEMCipher(named name: String) {
        defer { OpenSSLError.clear() }
        guard EVP_get_cipherbyname(name) == nil, let cipher = EVP_CIPHER_fetch(nil, name, nil) else { return }
        // Added under the name as written (`EVP_add_cipher` would use the cipher's legacy NID,
        // which a fetched cipher lacks while the table is empty). The table keeps both the name
        // pointer and the cipher for the life of the process: neither is freed.
        guard let key = strdup(name) else { return }
        _ = OBJ_NAME_add(key, OBJ_NAME_TYPE_CIPHER_METH, UnsafeRawPointer(cipher).assumingMemoryBound(to: CChar.self))
    }

    /// Adds to OpenSSL's legacy digest table the digests `OPENSSL_INIT_ADD_ALL_DIGESTS`
    /// would have added (those this OpenSSL has), once (adding one already there changes
    /// nothing). Certificate checks look a signature's digest up there: call it before making
    /// a TLS context.
    static func registerLegacyDigests() {
        _ = legacyDigestsRegistered
    }

    private static let legacyDigestsRegistered: Bool = {
        defer { OpenSSLError.clear() }
        let digests: [OpaquePointer?] = [
            EVP_md5(), EVP_md5_sha1(), EVP_sha1(), EVP_ripemd160(), EVP_sha224(), EVP_sha256(), EVP_sha384(),
            EVP_sha512(), EVP_sha512_224(), EVP_sha512_256(), EVP_sm3(), EVP_blake2b512(), EVP_blake2s256(),
            EVP_sha3_224(), EVP_sha3_256(), EVP_sha3_384(), EVP_sha3_512(), EVP_shake128(), EVP_shake256(),
        ]
        for digest in digests { if let digest { _ = EVP_add_digest(digest) } }
        return true
    }()

    /// Makes Hash_DRBG over SHA-256 the default random generator (see
    /// ``prepareForShortProcess()``); it must run before the first random bytes are drawn.
    static func useDefaultRandomGenerator() {
        if RAND_set_DRBG_type(nil, "HASH-DRBG", nil, nil, "SHA256") != 1 { OpenSSLError.clear() }
    }
}
