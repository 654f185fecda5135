/// The bytes that travel around a token and count against the same limit
/// (`inspect-size --context authorization|cookie`).
///
/// What is counted, exactly:
/// - ``bare``: nothing; the token alone.
/// - ``authorization``: `Authorization: Bearer ` (22 bytes): the header line as a server's
///   per-line limit sees it, without the closing CRLF.
/// - ``cookie(name:)``: `NAME=` before the token and ``cookieAttributes``
///   (`; Path=/; Secure; HttpOnly; SameSite=Lax`, 40 bytes) after it, as the
///   `Set-Cookie` value a server sends, since RFC 6265 §6.1 measures a cookie as its name,
///   value and attributes. The `Set-Cookie: ` field name and the CRLF are not counted.
public enum SizeContext: Hashable, Sendable, CustomStringConvertible {
    /// The token alone.
    case bare
    /// In an `Authorization: Bearer` request header.
    case authorization
    /// As the value of a cookie named `name`, with the typical attributes.
    case cookie(name: String)

    /// The cookie name `--context cookie` assumes when `--cookie-name` is not given.
    public static let defaultCookieName = "token"

    /// The attributes a session cookie typically carries, counted after the token.
    public static let cookieAttributes = "; Path=/; Secure; HttpOnly; SameSite=Lax"

    /// The text before the token.
    public var prefix: String {
        switch self {
        case .bare: return ""
        case .authorization: return "Authorization: Bearer "
        case .cookie(let name): return name + "="
        }
    }

    /// The text after the token.
    public var suffix: String {
        switch self {
        case .bare, .authorization: return ""
        case .cookie: return SizeContext.cookieAttributes
        }
    }

    /// The bytes this context adds to a token: the UTF-8 length of ``prefix`` and ``suffix``.
    public var overheadBytes: Int { prefix.utf8.count + suffix.utf8.count }

    /// The context's name as `--context` spells it: `bare`, `authorization` or `cookie`.
    public var name: String {
        switch self {
        case .bare: return "bare"
        case .authorization: return "authorization"
        case .cookie: return "cookie"
        }
    }

    /// `authorization`, `cookie token` (with the cookie's name) or `bare`.
    public var description: String {
        if case .cookie(let cookieName) = self { return "cookie \(cookieName)" }
        return name
    }

    /// Parses `--context`: `authorization`, `cookie` (named by `cookieName`) or `bare`/`none`.
    ///
    /// - Parameters:
    ///   - text: the option's value.
    ///   - cookieName: the cookie's name (`--cookie-name`); RFC 6265 token characters only.
    /// - Throws: ``TokenError/Code/invalidValue`` for another context or a cookie name that is
    ///   empty or holds separators, spaces or control characters.
    public static func parse(_ text: String, cookieName: String = defaultCookieName) throws -> SizeContext {
        switch text.lowercased() {
        case "bare", "none": return .bare
        case "authorization": return .authorization
        case "cookie":
            let separators = Set("()<>@,;:\\\"/[]?={} \t")
            let valid = !cookieName.isEmpty && cookieName.unicodeScalars.allSatisfy {
                $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !separators.contains(Character($0))
            }
            guard valid else {
                throw TokenError.invalidValue("cookie name '\(cookieName)' is not an RFC 6265 token")
            }
            return .cookie(name: cookieName)
        default:
            throw TokenError.invalidValue("context '\(text)' is not one of authorization, cookie, bare")
        }
    }
}
