internal import COpenSSL

/// Process-wide OpenSSL settings.
public enum OpenSSLRuntime {
    /// Initialises libcrypto for a short-lived process: without OpenSSL's exit-time clean-up
    /// (`OPENSSL_INIT_NO_ATEXIT`), which frees every provider, algorithm and name table one
    /// by one when the process ends and the kernel is about to drop its memory anyway
    /// (measured at about 3 % of a one-shot `sign ES256`).
    ///
    /// OpenSSL's configuration file is still read as usual, at the first cryptographic call:
    /// it is where a system sets its providers and policies (a FIPS provider, for one), and
    /// skipping it saved about 0.2 ms a run, too little to override a system's choice.
    /// Key material is unaffected: tokenctl's own key and secret objects wipe themselves
    /// when released, and OpenSSL cleanses key objects when they are freed.
    ///
    /// The random generator defaults to Hash_DRBG over SHA-256 (NIST SP 800-90A, seeded
    /// from the operating system as OpenSSL's default CTR_DRBG is) instead of CTR_DRBG over
    /// AES-256: instantiating CTR_DRBG fetches a cipher, which builds OpenSSL's table of every
    /// cipher, about a third of a one-shot `sign ES256` (whose ECDSA nonce needs the
    /// generator); SHA-256 is fetched anyway. This only sets the default: a `[random]`
    /// section in OpenSSL's configuration file, read later, still decides.
    public static func prepareForShortProcess() {
        _ = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil)
        useDefaultRandomGenerator()
    }

    /// Makes Hash_DRBG over SHA-256 the default random generator (see
    /// ``prepareForShortProcess()``); it must run before the first random bytes are drawn.
    static func useDefaultRandomGenerator() {
        if RAND_set_DRBG_type(nil, "HASH-DRBG", nil, nil, "SHA256") != 1 { OpenSSLError.clear() }
    }
}
