/// One `-----BEGIN LABEL----- ... -----END LABEL-----` block of PEM text (RFC 7468), cut
/// from the bytes of a key file without passing through a Swift `String`, so that a private
/// key's text can be wiped: the holder calls ``wipe()`` once OpenSSL has read the block.
struct PEMBlock {
    /// The label, such as "PRIVATE KEY".
    let label: String
    /// The whole block, from its BEGIN line to its END line, each line unindented and ended
    /// by a newline.
    private(set) var bytes: [UInt8]

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
        label == "ENCRYPTED PRIVATE KEY"
            || (content == .privateKey
                && PEMBlock.find(Array("Proc-Type: 4,ENCRYPTED".utf8), in: bytes, from: 0) != nil)
    }

    /// Overwrites the block's bytes with zeros (they may be a private key's text).
    mutating func wipe() { SecretBytes.wipe(&bytes) }

    /// Every complete block in `text`, in order. The copies made here are wiped; the
    /// returned blocks are the caller's to wipe.
    static func blocks(in text: String) -> [PEMBlock] {
        var bytes = Array(text.utf8)
        defer { SecretBytes.wipe(&bytes) }
        return blocks(in: bytes)
    }

    /// Every complete block in `text` (UTF-8 bytes), in order; the caller wipes them.
    static func blocks(in text: [UInt8]) -> [PEMBlock] {
        let beginMarker = Array("-----BEGIN ".utf8), dashes = Array("-----".utf8)
        var blocks: [PEMBlock] = []
        var searchStart = 0
        while let begin = find(beginMarker, in: text, from: searchStart) {
            let labelStart = begin + beginMarker.count
            guard let labelEnd = find(dashes, in: text, from: labelStart) else { break }
            let labelBytes = Array(text[labelStart..<labelEnd])
            let endMarker = Array("-----END ".utf8) + labelBytes + dashes
            guard !labelBytes.contains(where: isLineBreak),
                let end = find(endMarker, in: text, from: labelEnd + dashes.count)
            else {
                searchStart = labelEnd + dashes.count
                continue
            }
            blocks.append(PEMBlock(
                label: String(decoding: labelBytes, as: UTF8.self),
                bytes: unindentedLines(text, from: begin, to: end + endMarker.count)))
            searchStart = end + endMarker.count
        }
        return blocks
    }

    /// Whether a byte ends a line: LF, CR, VT or FF (CR LF counts once).
    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// The lines of `text[start..<end]` without the spaces and tabs around them, each ended
    /// by a newline: a PEM pasted with indentation (from a YAML file, say) reads as the same
    /// key. The result's capacity is reserved first, so it never grows (growth would leave an
    /// unwiped copy behind).
    private static func unindentedLines(_ text: [UInt8], from start: Int, to end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start + 1)
        var lineStart = start
        var index = start
        while index <= end {
            guard index == end || isLineBreak(text[index]) else {
                index += 1
                continue
            }
            var first = lineStart, last = index
            while first < last, text[first] == 0x20 || text[first] == 0x09 { first += 1 }
            while last > first, text[last - 1] == 0x20 || text[last - 1] == 0x09 { last -= 1 }
            out.append(contentsOf: text[first..<last])
            out.append(0x0A)
            if index < end, text[index] == 0x0D, index + 1 < end, text[index + 1] == 0x0A { index += 1 }
            index += 1
            lineStart = index
        }
        return out
    }

    /// The index of the first occurrence of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
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
    ///
    /// The blocks cut from the text are wiped once read; `pemRepresentation` itself is a
    /// Swift `String`, which cannot be wiped (``KeySource/keys(from:password:)`` takes bytes).
    public init(pemRepresentation: String, password: [UInt8]? = nil) throws {
        var blocks = PEMBlock.blocks(in: pemRepresentation)
        defer { for index in blocks.indices { blocks[index].wipe() } }
        guard let index = blocks.firstIndex(where: { $0.content != nil }) else {
            throw Key.noKeyBlockError(blocks)
        }
        try self.init(pemBlock: blocks[index], password: password)
    }

    /// A key from one PEM block whose ``PEMBlock/content`` is not `nil`.
    init(pemBlock block: PEMBlock, password: [UInt8]?) throws {
        guard let content = block.content else { throw Key.noKeyBlockError([block]) }
        if block.isEncrypted && password == nil {
            throw TokenError(.malformedKey, "the private key is encrypted and no password was given", remedy: .giveKeyPassword)
        }
        self.init(material: .asymmetric(try EVPKey.read(pemBlock: block.bytes, content: content, password: password)))
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

    /// The unencrypted PKCS#8 private key PEM (`-----BEGIN PRIVATE KEY-----`), as a Swift
    /// `String`, which is not wiped (tokenctl itself never calls this).
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for HMAC secrets and public-only keys;
    ///   ``TokenError/Code/backendFailure``.
    public func privatePEM() throws -> String {
        guard let key = evpKey else { throw TokenError(.keyUnsuitable, "an HMAC secret has no PEM form") }
        guard key.isPrivate else { throw TokenError(.keyUnsuitable, "\(self) has no private part to export") }
        return try key.privatePEM()
    }
}
