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
    public static func prepareForShortProcess() {
        _ = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil)
    }
}
