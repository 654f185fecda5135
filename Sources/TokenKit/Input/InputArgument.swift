/// What a command-line argument given where a token or a file may go stands for: a token
/// (or a header line holding one), or the path of a file.
///
/// The one rule for the file-or-token decision, shared by `inspect-size` (which reads the
/// file) and `verify`/`decode` (which say that a path was given where a token belongs).
public enum InputArgument: Equatable, Sendable {
    /// A token, or a line holding one (`Bearer <t>`, an `Authorization` or `Cookie` header).
    case token(String)
    /// A path: an existing file, or an argument that does not look like a token.
    case path(String)

    /// Classifies an argument: an existing file is a path; otherwise a token-shaped argument
    /// (see ``TokenExtractor/isTokenShaped(_:)``) is a token and anything else is a path, so
    /// a mistyped file name is reported as an unreadable file, not as a malformed token.
    ///
    /// - Parameters:
    ///   - argument: the argument as given.
    ///   - fileExists: whether a path exists (the file system by default).
    public static func classify(_ argument: String, fileExists: (String) -> Bool = FileAccess.exists) -> InputArgument {
        if !argument.isEmpty, fileExists(argument) { return .path(argument) }
        return TokenExtractor.isTokenShaped(argument) ? .token(argument) : .path(argument)
    }
}

extension TokenExtractor {
    /// Whether a line looks like a token rather than a file name: the token it holds (bare,
    /// quoted, after `Bearer`, in an `Authorization` or `Cookie` header) is an API key
    /// (``APIKey/looksLikeAPIKey(_:)``) or base64url text with at least two dots (a JWS has
    /// three segments) that does not end in `.json`.
    public static func isTokenShaped(_ line: String) -> Bool {
        guard let token = token(fromLine: line) else { return false }
        if APIKey.looksLikeAPIKey(token) { return true }
        let dots = token.utf8.filter { $0 == UInt8(ascii: ".") }.count
        return dots >= 2 && isBase64URLOrDots(token) && !token.lowercased().hasSuffix(".json")
    }

    private static func isBase64URLOrDots(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }
}
