/// One distinct candidate found by a scan: its text, every place it was found (up to
/// ``maxPlaces``) and how often, and whether it is a JWT.
public struct ScanFinding: Sendable {
    /// What a candidate turned out to be.
    public enum Kind: Sendable {
        /// A compact JWS that parses (``ScanFinding/token`` parses it again when needed, so
        /// that a scan of many distinct tokens keeps only their text).
        case jwt
        /// Shaped like a JWT but not one: why (``TokenError/Code/malformed``).
        case notJWT(TokenError)
    }

    /// The most places kept for one token; ``count`` goes on counting beyond.
    public static let maxPlaces = 16

    /// The candidate's text. It is a credential: print it only when asked to.
    public let text: String
    /// Its fingerprint (``TokenFingerprint``).
    public let fingerprint: String
    /// A JWT, or why not.
    public let kind: Kind
    /// The places it was found, in input order, at most ``maxPlaces``.
    public internal(set) var places: [ScanPlace]
    /// How many times it was found.
    public internal(set) var count: Int

    /// The first place it was found.
    public var place: ScanPlace { places[0] }

    /// The bound the candidate was parsed with.
    private let maxTokenBytes: Int

    /// Whether the candidate is a JWT.
    public var isJWT: Bool {
        if case .jwt = kind { return true }
        return false
    }

    /// The parsed token, when the candidate is a JWT.
    public var token: CompactToken? {
        isJWT ? try? CompactToken(text, maxBytes: maxTokenBytes) : nil
    }

    /// Classifies a candidate at its first place.
    ///
    /// - Parameters:
    ///   - occurrence: the candidate and its place.
    ///   - maxTokenBytes: a longer candidate is not a JWT.
    public init(_ occurrence: ScanOccurrence, maxTokenBytes: Int = CompactToken.defaultMaxBytes) {
        text = occurrence.text
        fingerprint = TokenFingerprint.of(occurrence.text)
        self.maxTokenBytes = maxTokenBytes
        do {
            _ = try CompactToken(occurrence.text, maxBytes: maxTokenBytes)
            kind = .jwt
        } catch {
            kind = .notJWT(TokenError.wrapping(error))
        }
        places = [occurrence.place]
        count = 1
    }
}

/// Gathers the occurrences of a scan into distinct findings, in order of first appearance:
/// the same token found many times is one finding with a count.
///
/// Memory grows with the number of distinct tokens (each kept once, with at most
/// ``ScanFinding/maxPlaces`` places), not with the size of the input.
public struct ScanCollector: Sendable {
    /// The distinct candidates, in order of first appearance.
    public private(set) var findings: [ScanFinding] = []
    /// The number of occurrences added.
    public private(set) var occurrences = 0
    private var index: [String: Int] = [:]
    private let maxTokenBytes: Int

    /// Creates an empty collector.
    ///
    /// - Parameter maxTokenBytes: a longer candidate is not a JWT.
    public init(maxTokenBytes: Int = CompactToken.defaultMaxBytes) {
        self.maxTokenBytes = maxTokenBytes
    }

    /// Adds one occurrence.
    public mutating func add(_ occurrence: ScanOccurrence) {
        occurrences += 1
        if let existing = index[occurrence.text] {
            findings[existing].count += 1
            if findings[existing].places.count < ScanFinding.maxPlaces {
                findings[existing].places.append(occurrence.place)
            }
            return
        }
        index[occurrence.text] = findings.count
        findings.append(ScanFinding(occurrence, maxTokenBytes: maxTokenBytes))
    }

    /// The findings that are JWTs.
    public var tokens: [ScanFinding] { findings.filter(\.isJWT) }
}
