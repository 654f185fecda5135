internal import COpenSSL

/// Turns OpenSSL's thread-local error queue into `TokenError` reasons.
///
/// Every failure path drains the queue, so a later, unrelated call never reports a stale
/// error. OpenSSL's error strings name a library, function and reason; they never contain
/// key material.
enum OpenSSLError {
    /// Empties the error queue and returns its oldest entry as text ("no detail" when empty):
    /// OpenSSL's own text when its error strings are loaded, else the code and the
    /// `openssl errstr` command that prints the text.
    static func drain() -> String {
        _ = textsLoaded
        var first: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == nil, ERR_reason_error_string(code) == nil {
                // OpenSSL's text tables are not loaded in a tokenctl process (see
                // OpenSSLRuntime.prepareForShortProcess): give the code and where to read it.
                first = codeText(code)
            } else if first == nil {
                var buffer = [CChar](repeating: 0, count: 256)
                buffer.withUnsafeMutableBufferPointer { raw in
                    ERR_error_string_n(code, raw.baseAddress, raw.count)
                    first = String(cString: raw.baseAddress!)
                }
            }
        }
        return first ?? "no detail"
    }

    /// Loads OpenSSL's error texts once, the first time a failure is reported, when
    /// ``OpenSSLRuntime/prepareForShortProcess()`` skipped them at start-up. Only a statically
    /// linked libcrypto offers the loader; with a shared one the code form stays.
    private static let textsLoaded: Bool = {
        guard OpenSSLRuntime.errorTextsSkipped else { return true }
        return CTokenShim_load_error_texts() == 1
    }()

    /// An error code without its text: "error:1E08010C; openssl errstr 1E08010C prints its text".
    static func codeText(_ code: UInt) -> String {
        let hex = String(code, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        return "error:\(padded); openssl errstr \(padded) prints its text"
    }

    /// Empties the error queue without looking at it.
    static func clear() { ERR_clear_error() }

    /// A `backendFailure` error for an OpenSSL call that failed independently of the input.
    static func backendFailure(_ what: String) -> TokenError {
        TokenError(.backendFailure, "\(what) failed in OpenSSL (\(drain()))")
    }

    /// A `malformedKey` error for key input OpenSSL refused.
    static func malformedKey(_ what: String) -> TokenError {
        TokenError(.malformedKey, "\(what) (OpenSSL: \(drain()))")
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a non-null pointer to the bytes, even when the array is empty
    /// (some OpenSSL functions reject a null pointer with length 0).
    func withNonNullBytes<Result>(_ body: (UnsafePointer<UInt8>, Int) throws -> Result) rethrows -> Result {
        if isEmpty {
            let placeholder: [UInt8] = [0]
            return try placeholder.withUnsafeBufferPointer { try body($0.baseAddress!, 0) }
        }
        return try withUnsafeBufferPointer { try body($0.baseAddress!, $0.count) }
    }
}

extension UnsafeRawBufferPointer {
    /// Lends the bytes with a non-null base address, for C functions that reject NULL even
    /// when the length is zero.
    func withNonNullBytes<Result>(_ body: (UnsafePointer<UInt8>, Int) throws -> Result) rethrows -> Result {
        guard let base = baseAddress, count > 0 else { return try [UInt8]().withNonNullBytes(body) }
        return try body(base.assumingMemoryBound(to: UInt8.self), count)
    }
}

/// A null-terminated C string that lives for the whole program (a `StaticString` literal),
/// for OpenSSL APIs that keep the pointer they are given (OSSL_PARAM names).
func staticCString(_ string: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
}
