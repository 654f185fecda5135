/// Where a secret is to be found, as a user wrote it: the name of an environment variable or
/// the path of a file. Users sometimes give the secret itself instead (`"$SECRET"` where
/// `SECRET` belongs), so a reference is shown in a message only when it is plausibly a
/// reference: a variable name, or an existing path. Otherwise it is never echoed, and a
/// message says what was expected.
public enum SecretReference {
    /// Whether `name` may be the name of an environment variable: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isPlausibleVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }

    /// Whether an argument given where a path or a name belongs looks like key material
    /// itself: a PEM block (or its BEGIN line), a JSON object or array (a JWK or a JWKS), or
    /// text of several lines. Such an argument is never echoed in messages.
    public static func looksLikeKeyMaterial(_ argument: String) -> Bool {
        if argument.contains("-----BEGIN") || argument.contains("\n") || argument.contains("\r") { return true }
        let first = argument.utf8.first(where: { $0 != 0x20 && $0 != 0x09 })
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    /// Whether `path` may be shown in messages: it names something that exists.
    public static func isShowablePath(_ path: String) -> Bool { !path.isEmpty && FileAccess.exists(path) }

    /// The value of an environment variable that holds a secret, as a new UTF-8 array for the
    /// caller to wipe. The environment's own copy is a Swift `String` (and the C library's
    /// `environ`), which cannot be wiped.
    ///
    /// - Parameters:
    ///   - name: the variable's name.
    ///   - environment: the process environment.
    ///   - what: what the variable holds, for messages ("secret", "key password").
    /// - Throws: ``TokenError/Code/invalidValue`` when `name` is not a plausible variable name
    ///   (it is not shown); ``TokenError/Code/inputUnreadable`` when the variable is not set.
    public static func environmentValue(_ name: String, in environment: [String: String], what: String) throws -> [UInt8] {
        guard isPlausibleVariableName(name) else {
            throw TokenError.invalidValue(
                "expected the name of the environment variable that holds the \(what) (letters, digits and _), "
                    + "got something else, not shown in case it is the \(what) itself")
        }
        guard let value = environment[name] else {
            throw TokenError(.inputUnreadable, "environment variable \(name) (the \(what)) is not set")
        }
        return Array(value.utf8)
    }

    /// The bytes of a file that holds a secret (a regular file, see ``FileAccess/readRegularFile(_:maxBytes:what:)``),
    /// for the caller to wipe; the buffers the read itself used are wiped.
    ///
    /// - Parameters:
    ///   - path: the file's path.
    ///   - what: what the file is, for messages ("secret file").
    /// - Throws: ``TokenError/Code/inputUnreadable``; when nothing exists at `path`, the
    ///   message does not show it.
    public static func fileContents(_ path: String, what: String) throws -> [UInt8] {
        guard isShowablePath(path) else {
            throw TokenError(
                .inputUnreadable,
                "expected the path of the \(what), but no such file exists (the argument is not shown, in case it is the secret itself)")
        }
        return try FileAccess.readRegularFile(path, what: what)
    }
}
