extension Key {
    /// What kind of public key material `bytes` hold, or `nil` when they look like a secret.
    ///
    /// Public key material is published (a `jwks.json`, a certificate, an `authorized_keys`
    /// line), so anyone could forge HMAC tokens with it as the secret (the CVE-2017-11424
    /// class). Found anywhere in the input, not only at its start:
    /// - a JWK or JWKS: JSON whose text names `"kty"` or `"keys"`;
    /// - a PEM block (`-----BEGIN `);
    /// - an OpenSSH public key: `ssh-rsa`, `ssh-dss`, `ssh-ed25519`, `ssh-ed448`,
    ///   `ecdsa-sha2-*` or `sk-*` key types, or their base64 wire prefixes (an
    ///   `authorized_keys` line with options included);
    /// - DER: an SPKI public key, an X.509 certificate or a PKCS#1 RSA public key, with or
    ///   without trailing bytes (a newline, a NUL);
    /// - the base64 body of such DER without its PEM `BEGIN`/`END` lines.
    /// - Parameter bytes: the secret's bytes, after any decoding.
    /// - Returns: a phrase such as "a JWKS (JSON with \"keys\")".
    public static func publicKeyMaterialKind(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes(publicKeyMaterialKind(in:))
    }

    /// ``publicKeyMaterialKind(_:)`` over a lent buffer (a secret's owned buffer). The
    /// copies it makes (the trimmed bytes, a decoded base64 body) are wiped before it returns.
    static func publicKeyMaterialKind(in bytes: UnsafeRawBufferPointer) -> String? {
        let start = bytes.firstIndex(where: { !isSpaceOrNUL($0) }) ?? bytes.count
        let end = (bytes.lastIndex(where: { !isSpaceOrNUL($0) }) ?? -1) + 1
        var trimmed = start < end ? Array(bytes[start..<end]) : []
        defer { SecretBytes.wipe(&trimmed) }
        if trimmed.contains(UInt8(ascii: "{")) {  // JSON anywhere: after a BOM, inside other text
            if contains(trimmed, "\"keys\"") { return "a JWKS (JSON with \"keys\")" }
            if contains(trimmed, "\"kty\"") { return "a JWK (JSON with \"kty\")" }
        }
        if contains(bytes, "-----BEGIN ") { return "a PEM block" }
        if sshMarkers.contains(where: { contains(bytes, $0) }) { return "an SSH public key" }
        if let kind = EVPKey.derPublicKeyKind(trimmed) { return kind }
        if var body = base64Body(trimmed) {
            defer { SecretBytes.wipe(&body) }
            if let kind = EVPKey.derPublicKeyKind(body) {
                return "the base64 body of \(kind) (a PEM block without its BEGIN/END lines)"
            }
        }
        return nil
    }

    /// Why a secret is too weak for any HMAC algorithm, or `nil`: shorter than
    /// ``minimumHMACSecretByteCount``, or every byte the same (such as 32 zero bytes).
    ///
    /// - Parameter secret: the secret's bytes.
    public static func weakHMACSecretReason(_ secret: [UInt8]) -> String? {
        if secret.count < minimumHMACSecretByteCount {
            return "the HMAC secret is \(secret.count) bytes; at least \(minimumHMACSecretByteCount) are required"
        }
        if let first = secret.first, secret.allSatisfy({ $0 == first }) {
            return "the HMAC secret is \(secret.count) copies of one byte (0x\(first < 16 ? "0" : "")\(String(first, radix: 16))), which is no secret; use random bytes"
        }
        return nil
    }

    /// Why this key cannot do `algorithm` when it is an HMAC secret too short for it (RFC 7518
    /// §3.2: a key at least as long as the hash), or `nil`.
    public func hmacSecretTooShortReason(for algorithm: Algorithm) -> String? {
        guard algorithm.family == .hmac, case .oct(let byteCount) = type, let hash = algorithm.hashByteCount,
            byteCount < hash
        else { return nil }
        return "secret too short for \(algorithm) (needs at least \(hash) bytes; this one has \(byteCount))"
    }

    private static let sshMarkers = [
        "ssh-rsa", "ssh-dss", "ssh-ed25519", "ssh-ed448", "ecdsa-sha2-", "sk-ecdsa-sha2-", "sk-ssh-ed25519",
        // The base64 of the wire format's length-prefixed type names.
        "AAAAB3NzaC1yc2", "AAAAB3NzaC1kc3", "AAAAC3NzaC1lZDI1NTE5", "AAAACXNzaC1lZDQ0OA", "AAAAE2VjZHNhLXNoYTItbmlzdH",
    ]

    private static func isSpaceOrNUL(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00
    }

    /// Whether `haystack` contains the ASCII `needle`.
    private static func contains<Bytes: RandomAccessCollection>(_ haystack: Bytes, _ needle: String) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let needle = Array(needle.utf8)
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    /// The decoded bytes when `bytes` are nothing but base64 or base64url text (line breaks
    /// and spaces allowed, padding optional), else `nil`.
    private static func base64Body(_ bytes: [UInt8]) -> [UInt8]? {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)  // no growth: a reallocation would leave an unwiped copy
        defer { SecretBytes.wipe(&text) }
        for byte in bytes where !isSpaceOrNUL(byte) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                text.append(byte)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): text.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"), UInt8(ascii: "_"): text.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: return nil
            }
        }
        guard text.count >= 16 else { return nil }
        return try? Base64URL.decode(utf8: text)
    }
}
