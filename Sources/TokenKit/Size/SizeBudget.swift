/// How many bytes a token may take where it travels: a number, or a named limit of a
/// browser, proxy or server (`inspect-size --budget BYTES|NAME`).
///
/// The named limits are the defaults of each product as documented by its vendor; each
/// ``source`` says where the number comes from. A token shares most of them with every
/// other header and cookie of the request, so fitting the budget is necessary, not sufficient.
public struct SizeBudget: Hashable, Sendable, CustomStringConvertible {
    /// The limit's name (`cookie`, `nginx`, ...), or `nil` for a plain number of bytes.
    public let name: String?
    /// The limit in bytes.
    public let bytes: Int
    /// Where the number comes from, for `--help`, the man page and the README.
    public let source: String

    /// A budget of a plain number of bytes.
    ///
    /// - Parameter bytes: the limit, at least 1.
    public init(bytes: Int) {
        self.name = nil
        self.bytes = bytes
        self.source = "given as a number"
    }

    private init(_ name: String, _ bytes: Int, _ source: String) {
        self.name = name
        self.bytes = bytes
        self.source = source
    }

    /// `4096 (cookie)` or `5000`.
    public var description: String {
        if let name { return "\(bytes) (\(name))" }
        return String(bytes)
    }

    /// One cookie's name, value and attributes, which every browser must store (RFC 6265 §6.1).
    public static let cookie = SizeBudget("cookie", 4096,
        "RFC 6265 §6.1: browsers store at least 4096 bytes per cookie (name, value and attributes); larger cookies are dropped")
    /// One request header line in nginx's default `large_client_header_buffers 4 8k`.
    public static let nginx = SizeBudget("nginx", 8192,
        "nginx large_client_header_buffers default 4 8k: one request header line at most 8 KiB, else 400")
    /// One request header field in Apache httpd's default `LimitRequestFieldSize`.
    public static let apache = SizeBudget("apache", 8190,
        "Apache httpd LimitRequestFieldSize default 8190 bytes per request header field, else 400")
    /// Tomcat's (and Spring Boot's) default `maxHttpHeaderSize`.
    public static let tomcat = SizeBudget("tomcat", 8192,
        "Tomcat maxHttpHeaderSize default 8192 bytes (Spring Boot max-http-request-header-size 8KB), else 400")
    /// Kestrel's default `MaxRequestHeadersTotalSize` (all headers).
    public static let kestrel = SizeBudget("kestrel", 32768,
        "ASP.NET Core Kestrel MaxRequestHeadersTotalSize default 32 KiB for all request headers, else 431")
    /// Node.js's default `--max-http-header-size` (all headers).
    public static let node = SizeBudget("node", 16384,
        "Node.js --max-http-header-size default 16 KiB for all request headers (8 KiB in older releases), else 431")
    /// One request header at an AWS Application Load Balancer.
    public static let alb = SizeBudget("alb", 16384,
        "AWS Application Load Balancer quota: 16 KiB per request header (64 KiB for all)")
    /// Request headers and query string at Amazon CloudFront.
    public static let cloudfront = SizeBudget("cloudfront", 20480,
        "Amazon CloudFront quota: 20,480 bytes for all request headers and the query string")
    /// Request line and header values at an Amazon API Gateway HTTP API.
    public static let apiGateway = SizeBudget("api-gateway", 10240,
        "Amazon API Gateway HTTP API quota: 10,240 bytes for the request line and header values")
    /// Envoy's default `max_request_headers_kb` (all headers).
    public static let envoy = SizeBudget("envoy", 61440,
        "Envoy max_request_headers_kb default 60 KiB for all request headers, else 431")
    /// HAProxy's default buffer less its rewrite reserve, for the whole request head.
    public static let haproxy = SizeBudget("haproxy", 15360,
        "HAProxy tune.bufsize 16384 minus tune.maxrewrite 1024: about 15 KiB for the whole request head, else 400")

    /// Every named budget, in documentation order.
    public static let known: [SizeBudget] = [
        .cookie, .nginx, .apache, .tomcat, .apiGateway, .node, .alb, .haproxy, .cloudfront, .kestrel, .envoy,
    ]

    /// The largest budget accepted as a number (1 GiB): far beyond any HTTP stack, and small
    /// enough that sums of byte counts never overflow.
    public static let maxBytes = 1 << 30

    /// Parses a budget: a name of ``known`` (case-insensitive), or a byte count as
    /// ``byteCount(_:)`` reads it. `4096`, `4k` and `4KiB` are the same budget.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` for anything else (zero, a fraction, a sign,
    ///   an unknown name or suffix, more than ``maxBytes``).
    public static func parse(_ text: String) throws -> SizeBudget {
        if let named = known.first(where: { $0.name == text.lowercased() }) { return named }
        guard let bytes = byteCount(text) else {
            let names = known.compactMap(\.name).joined(separator: ", ")
            throw TokenError.invalidValue(
                "budget '\(text)' is neither a positive number of bytes (4096, 4k, 4KiB) nor a known limit (\(names))")
        }
        guard bytes <= maxBytes else {
            throw TokenError.invalidValue("budget '\(text)' is larger than the 1 GiB maximum")
        }
        return SizeBudget(bytes: bytes)
    }

    /// Reads a positive whole number of bytes with an optional binary suffix: `k`, `K`, `KiB`,
    /// `kib` (×1024) or `m`, `M`, `MiB`, `mib` (×1 048 576); `nil` for anything else (zero, a
    /// fraction, a sign, another suffix, more than ten digits). The one reading of byte counts
    /// that every size option shares.
    public static func byteCount(_ text: String) -> Int? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        let multiplier: Int
        switch text.dropFirst(digits.count) {
        case "": multiplier = 1
        case "k", "K", "KiB", "kib": multiplier = 1024
        case "m", "M", "MiB", "mib": multiplier = 1024 * 1024
        default: return nil
        }
        guard !digits.isEmpty, digits.count <= 10, let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }
}
