/// Where a scanned token was found: the input and line, and what held it (a header, a
/// cookie, a JSON member, a URL parameter, a log field, a HAR entry).
///
/// Every string here comes from the scanned input and is untrusted: escape it before
/// printing it as text.
public struct ScanPlace: Hashable, Sendable {
    /// What held the token, innermost first.
    public enum Carrier: Hashable, Sendable {
        /// An `Authorization` (or `Proxy-Authorization`) header with this scheme (`Bearer`, `DPoP`, `JWT`).
        case authorization(scheme: String)
        /// A cookie of a `Cookie` request header.
        case cookie(name: String)
        /// The cookie a `Set-Cookie` response header sets.
        case setCookie(name: String)
        /// The value of another header (``ScanPlace/header`` names it).
        case header
        /// A URL query parameter (`?id_token=`).
        case queryParameter(name: String)
        /// A URL fragment parameter (`#access_token=`).
        case fragmentParameter(name: String)
        /// A JSON string member (`"access_token": "..."`), such as an OAuth token response.
        case jsonMember(name: String)
        /// A `name=value` or `name: value` field of a log line or form.
        case field(name: String)
        /// Free text with nothing naming it.
        case text
    }

    /// Request or response, from a `curl -v` line prefix (`>`, `<`) or a HAR entry.
    public enum Direction: String, Hashable, Sendable {
        case request, response
    }

    /// The input's name: a file path, or `stdin`.
    public var source: String
    /// The 1-based line of the input the token is on.
    public var line: Int
    /// What held the token.
    public var carrier: Carrier
    /// The HTTP header the token was in (as written), if any.
    public var header: String?
    /// Request or response, when known.
    public var direction: Direction?
    /// For a HAR file: the entry (1-based), its method and URL, and the part of it.
    public var harEntry: HAREntry?
    /// The bytes of the header line or cookie that carries the token, when it was found in
    /// one: `Authorization: Bearer <token>`, a cookie's `name=value` pair, a `Set-Cookie`
    /// value with its attributes, or another header line.
    public var carrierBytes: Int?

    /// A HAR entry that held a token.
    public struct HAREntry: Hashable, Sendable {
        /// The entry's 1-based index in `log.entries`.
        public var index: Int
        /// The request method.
        public var method: String
        /// The request URL, with any token in it replaced by its fingerprint.
        public var url: String
        /// Where in the entry: `request header`, `response body`, `request cookie`, ...
        public var part: String

        /// Creates an entry description.
        public init(index: Int, method: String, url: String, part: String) {
            self.index = index
            self.method = method
            self.url = url
            self.part = part
        }
    }

    /// Creates a place.
    public init(
        source: String, line: Int, carrier: Carrier, header: String? = nil, direction: Direction? = nil,
        harEntry: HAREntry? = nil, carrierBytes: Int? = nil
    ) {
        self.source = source
        self.line = line
        self.carrier = carrier
        self.header = header
        self.direction = direction
        self.harEntry = harEntry
        self.carrierBytes = carrierBytes
    }

    /// The carrier's kind as a stable identifier: `authorization`, `cookie`, `set-cookie`,
    /// `header`, `query`, `fragment`, `json`, `field` or `text`.
    public var kind: String {
        switch carrier {
        case .authorization: return "authorization"
        case .cookie: return "cookie"
        case .setCookie: return "set-cookie"
        case .header: return "header"
        case .queryParameter: return "query"
        case .fragmentParameter: return "fragment"
        case .jsonMember: return "json"
        case .field: return "field"
        case .text: return "text"
        }
    }

    /// The carrier's own name: the scheme, cookie, parameter, member or field name; the
    /// header name for ``Carrier/header``; `nil` for text.
    public var name: String? {
        switch carrier {
        case .authorization(let scheme): return scheme
        case .cookie(let name), .setCookie(let name), .queryParameter(let name), .fragmentParameter(let name),
            .jsonMember(let name), .field(let name):
            return name
        case .header: return header
        case .text: return nil
        }
    }

    /// The group a token belongs to by carrier (`inspect-size --scan`): the header or cookie
    /// that carries it (`Authorization`, `cookie session`), else the member, parameter or
    /// field (`json access_token`, `fragment access_token`, `field token`), else `text`.
    public var carrierGroup: String {
        switch carrier {
        case .authorization: return header ?? "Authorization"
        case .cookie(let name), .setCookie(let name): return "cookie \(name)"
        case .header: return header ?? "header"
        case .queryParameter(let name), .fragmentParameter(let name), .jsonMember(let name), .field(let name):
            if let header { return header }
            return "\(kind) \(name)"
        case .text: return header ?? "text"
        }
    }

    /// A one-line human description, such as `request header Authorization: Bearer`,
    /// `response Set-Cookie id_token`, `JSON member "access_token"` or
    /// `HAR entry 3 POST https://auth.example.com/token, response body: JSON member "id_token"`.
    public var summary: String {
        var text: String
        switch carrier {
        case .authorization(let scheme): text = "header \(header ?? "Authorization"): \(scheme)"
        case .cookie(let name): text = "Cookie \(name)"
        case .setCookie(let name): text = "Set-Cookie \(name)"
        case .header: text = "header \(header ?? "")"
        case .queryParameter(let name): text = "URL query parameter \(name)"
        case .fragmentParameter(let name): text = "URL fragment parameter \(name)"
        case .jsonMember(let name): text = "JSON member \"\(name)\""
        case .field(let name): text = "field \(name)"
        case .text: text = "text"
        }
        switch carrier {
        case .authorization, .cookie, .setCookie, .header: break
        default: if let header { text = "header \(header), " + text }
        }
        if let direction, harEntry == nil { text = "\(direction.rawValue) " + text }
        if let entry = harEntry {
            text = "HAR entry \(entry.index) \(entry.method) \(entry.url), \(entry.part): " + text
        }
        return text
    }

    /// The size ``ScanSizeReport`` counts for a token of `tokenBytes` bytes in its carrier:
    /// ``carrierBytes`` when the token was found in a header or cookie, else the token with
    /// the bytes `context` assumes around it (``SizeContext/overheadBytes``).
    public func carriedBytes(tokenBytes: Int, context: SizeContext) -> Int {
        carrierBytes ?? tokenBytes + context.overheadBytes
    }
}
