/// Writes a keyset in an order that never lets a key sign before it is published, nor
/// unpublishes a key that can still sign or verify: a crash between any two writes leaves
/// a keyset that loads, has exactly one active key, and whose `jwks.json` holds every key
/// of `keys.json`.
///
/// `keys.json` is written from ``Keyset/privateFileBytes()`` with mode 0600 whatever the umask
/// (the temporary file is created 0600 and `fchmod`ed), and the bytes written, like the
/// current file read to compare with them, are wiped afterwards.
struct KeysetStore {
    let handle: KeysetDirectory

    init(_ handle: KeysetDirectory) { self.handle = handle }

    /// A new keyset: `jwks.json` (publish), then `keys.json` (sign).
    func publishThenCommit(_ keyset: Keyset) throws {
        try writePublic(Keyset.publicFileText(keyset.entries))
        var privateBytes = try keyset.privateFileBytes()
        defer { Secrets.wipe(&privateBytes) }
        try handle.write(Keyset.privateFileName, privateBytes, mode: 0o600)
    }

    /// Replaces `before` with `after` in three steps:
    /// 1. publish the union of both (new keys appear before anything can sign with them);
    /// 2. write `keys.json` (the new states take effect);
    /// 3. publish exactly `after` (removed keys disappear only once nothing uses them).
    /// Steps that would not change a file are skipped. `jwksOut`, when given, is written
    /// atomically beside each publication of `jwks.json`.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    func replace(_ before: Keyset, with after: Keyset, jwksOut: String?) throws {
        let afterKids = Set(after.entries.map(\.kid))
        let union = after.entries + before.entries.filter { !afterKids.contains($0.kid) }
        let unionText = Keyset.publicFileText(union)
        let finalText = Keyset.publicFileText(after.entries)
        // Publishing the union is always safe; it is skipped only when already published.
        if currentPublicText() != unionText {
            try writePublic(unionText)
            if let jwksOut { try writeOutside(unionText, to: jwksOut) }
        }
        var privateBytes = try after.privateFileBytes()
        defer { Secrets.wipe(&privateBytes) }
        if !currentPrivateBytesEqual(privateBytes) {
            try handle.write(Keyset.privateFileName, privateBytes, mode: 0o600)
        }
        if currentPublicText() != finalText { try writePublic(finalText) }
        if let jwksOut { try writeOutside(finalText, to: jwksOut) }
    }

    /// The text `jwks.json` has now, or `nil` when it cannot be read.
    func currentPublicText() -> String? {
        (try? handle.read(Keyset.publicFileName, private: false)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `keys.json` holds exactly `bytes` now; what was read is wiped.
    private func currentPrivateBytesEqual(_ bytes: [UInt8]) -> Bool {
        guard var current = try? handle.read(Keyset.privateFileName, private: true) else { return false }
        defer { Secrets.wipe(&current) }
        return current == bytes
    }

    private func writePublic(_ text: String) throws {
        try handle.write(Keyset.publicFileName, Array(text.utf8), mode: 0o644)
    }

    private func writeOutside(_ text: String, to path: String) throws {
        try FileAccess.writeAtomically(Array(text.utf8), to: path, mode: 0o644)
    }
}
