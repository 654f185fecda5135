#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One `-----BEGIN LABEL----- ... -----END LABEL-----` block of PEM text (RFC 7468).
struct PEMBlock {
    /// The label, such as "PRIVATE KEY".
    let label: String
    /// The whole block, from its BEGIN line to its END line.
    let text: String

    /// What the block holds, or `nil` for labels that are not keys or certificates.
    var content: PEMContent? {
        switch label {
        case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY": return .privateKey
        case "PUBLIC KEY", "RSA PUBLIC KEY": return .publicKey
        case "CERTIFICATE": return .certificate
        default: return nil
        }
    }

    /// Whether the block is a password-protected private key (PKCS#8 or legacy PEM encryption).
    var isEncrypted: Bool {
        label == "ENCRYPTED PRIVATE KEY" || (content == .privateKey && text.contains("Proc-Type: 4,ENCRYPTED"))
    }

    /// Every complete block in `text`, in order.
    static func blocks(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var searchStart = text.startIndex
        while let begin = text[searchStart...].firstRange(of: "-----BEGIN ") {
            guard let labelEnd = text[begin.upperBound...].firstRange(of: "-----") else { break }
            let label = String(text[begin.upperBound..<labelEnd.lowerBound])
            guard !label.contains("\n"),
                let end = text[labelEnd.upperBound...].firstRange(of: "-----END \(label)-----")
            else {
                searchStart = labelEnd.upperBound
                continue
            }
            let lines = text[begin.lowerBound..<end.upperBound].split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            blocks.append(PEMBlock(label: label, text: lines.map(unindented).joined(separator: "\n") + "\n"))
            searchStart = end.upperBound
        }
        return blocks
    }

    /// A line without the spaces and tabs around it: a PEM pasted with indentation (from a
    /// YAML file, say) reads as the same key.
    private static func unindented(_ line: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = line.firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = line.lastIndex(where: { !isBlank($0) })!
        return line[first...last]
    }
}

extension Key {
    /// A key from PEM text: the first block that is a key or a certificate.
    ///
    /// Reads PKCS#8 `PRIVATE KEY`, encrypted PKCS#8 `ENCRYPTED PRIVATE KEY` (with
    /// `password`), SPKI `PUBLIC KEY`, PKCS#1 `RSA PRIVATE KEY` and `RSA PUBLIC KEY`, SEC1
    /// `EC PRIVATE KEY`, and X.509 `CERTIFICATE` (its public key). OpenSSL never prompts.
    /// - Parameters:
    ///   - pemRepresentation: the PEM text; other blocks (such as `EC PARAMETERS`) are skipped.
    ///   - password: the password of an encrypted private key.
    /// - Throws: ``TokenError/Code/malformedKey`` (no key block, unreadable block, missing or
    ///   wrong password, unsupported key type or curve, private key inconsistent);
    ///   ``TokenError/Code/weakKey`` (RSA under 2048 bits or with the ROCA fingerprint).
    public init(pemRepresentation: String, password: [UInt8]? = nil) throws {
        let blocks = PEMBlock.blocks(in: pemRepresentation)
        guard let block = blocks.first(where: { $0.content != nil }) else {
            throw Key.noKeyBlockError(blocks)
        }
        try self.init(pemBlock: block, password: password)
    }

    /// A key from one PEM block whose ``PEMBlock/content`` is not `nil`.
    init(pemBlock block: PEMBlock, password: [UInt8]?) throws {
        guard let content = block.content else { throw Key.noKeyBlockError([block]) }
        if block.isEncrypted && password == nil {
            throw TokenError(.malformedKey, "the private key is encrypted and no password was given", remedy: .giveKeyPassword)
        }
        self.init(material: .asymmetric(try EVPKey.read(pemBlock: block.text, content: content, password: password)))
        try rejectROCAModulus()
    }

    static func noKeyBlockError(_ blocks: [PEMBlock]) -> TokenError {
        if blocks.contains(where: { $0.label == "OPENSSH PRIVATE KEY" }) {
            return .malformedKey(
                "OpenSSH private keys are not supported; convert with ssh-keygen -p -m PKCS8 -f FILE")
        }
        if blocks.isEmpty { return .malformedKey("no PEM block found (expected -----BEGIN ...-----)") }
        let labels = blocks.map(\.label).joined(separator: ", ")
        return .malformedKey("no key or certificate PEM block found (found: \(labels))")
    }

    /// The SPKI public key PEM (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for HMAC secrets;
    ///   ``TokenError/Code/backendFailure``.
    public func publicPEM() throws -> String {
        guard let key = evpKey else { throw TokenError(.keyUnsuitable, "an HMAC secret has no PEM form") }
        return try key.publicPEM()
    }

    /// The unencrypted PKCS#8 private key PEM (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for HMAC secrets and public-only keys;
    ///   ``TokenError/Code/backendFailure``.
    public func privatePEM() throws -> String {
        guard let key = evpKey else { throw TokenError(.keyUnsuitable, "an HMAC secret has no PEM form") }
        guard key.isPrivate else { throw TokenError(.keyUnsuitable, "\(self) has no private part to export") }
        return try key.privatePEM()
    }
}
