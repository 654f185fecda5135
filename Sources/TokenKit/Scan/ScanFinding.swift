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
    public var fingerprint: String { TokenFingerprint.of(text) }
    /// A JWT, or why not.
    public let kind: Kind
    /// The places it was found, in input order, at most ``maxPlaces``.
    public internal(set) var places: [ScanPlace]
    /// How many times it was found.
    public internal(set) var count: Int

    /// The first place it was found.
    public var place: ScanPlace { places[0] }

    /// The number of occurrences the scan had found before this one's first: its place in
    /// the order of first appearance.
    let firstOccurrence: Int
    /// The bound the candidate was parsed with.
    let maxTokenBytes: Int

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
        self.init(occurrence, maxTokenBytes: maxTokenBytes, firstOccurrence: 0)
    }

    /// Classifies a candidate at its first place, the occurrence numbered `firstOccurrence`.
    init(_ occurrence: ScanOccurrence, maxTokenBytes: Int, firstOccurrence: Int) {
        text = occurrence.text
        self.maxTokenBytes = maxTokenBytes
        self.firstOccurrence = firstOccurrence
        do {
            _ = try CompactToken(occurrence.text, maxBytes: maxTokenBytes)
            kind = .jwt
        } catch {
            kind = .notJWT(TokenError.wrapping(error))
        }
        places = [occurrence.place]
        count = 1
    }

    /// A finding as it was kept (``init(record:)``).
    init(text: String, kind: Kind, places: [ScanPlace], count: Int, firstOccurrence: Int, maxTokenBytes: Int) {
        self.text = text
        self.kind = kind
        self.places = places
        self.count = count
        self.firstOccurrence = firstOccurrence
        self.maxTokenBytes = maxTokenBytes
    }

    /// Counts another occurrence of the same candidate, found later.
    mutating func add(_ place: ScanPlace) {
        count += 1
        if places.count < Self.maxPlaces { places.append(place) }
    }

    /// Takes in the same candidate's later occurrences, gathered apart.
    mutating func absorb(_ later: ScanFinding) {
        count += later.count
        places += later.places.prefix(Self.maxPlaces - places.count)
    }
}
