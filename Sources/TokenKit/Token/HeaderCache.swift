
/// The last few JOSE headers that parsed, keyed by the exact bytes of their base64url
/// segment. A batch of tokens from one issuer repeats one header (`{"alg":"ES256","kid":...}`),
/// so a token whose header segment is byte for byte one seen before reuses its decoded bytes
/// and parsed object instead of decoding and parsing them again.
///
/// Only headers that passed every check of ``CompactToken`` are stored, and parsing depends
/// on nothing but the bytes, so a hit gives exactly what parsing would. Safe to share between
/// threads: each thread has its own handful of entries (``PerThread``), replaced in turn.
final class HeaderCache: Sendable {
    /// A header that parsed: its segment's text, its decoded JSON text and its object, and
    /// what every token with this header looks up in it, found once. A class: every token
    /// with this header holds the one entry (one reference, not one for each of its parts).
    final class Entry: Sendable {
        let segment: [UInt8]
        let json: [UInt8]
        let header: JSONObject
        /// `alg` (a string: the header passed ``CompactToken``'s checks).
        let algorithmName: String
        /// The algorithm `alg` names, `nil` when unknown.
        let algorithm: Algorithm?
        /// `kid`, when present.
        let keyID: String?
        /// Whether ``json`` is its own compact serialization (``JSONValue/isCompactSerialization(_:)``).
        let isCompact: Bool
        /// Whether the header has `crit` or `b64`, which ``HeaderPolicy`` examines.
        let hasCriticalParameters: Bool
        /// Whether the header has a member of ``HeaderPolicy/keyCarryingParameters``.
        let hasKeyCarryingParameters: Bool

        init(segment: [UInt8], json: [UInt8], header: JSONObject) {
            self.segment = segment
            self.json = json
            self.header = header
            algorithmName = header["alg"]?.stringValue ?? ""
            algorithm = Algorithm(rawValue: algorithmName)
            keyID = header["kid"]?.stringValue
            isCompact = json.withUnsafeBytes(JSONValue.isCompactSerialization)
            hasCriticalParameters = header.contains("crit") || header.contains("b64")
            hasKeyCarryingParameters = HeaderPolicy.keyCarryingParameters.contains(where: header.contains)
        }

        /// Appends the compact JSON text of the header to `out` (``JSONValue/serialized``):
        /// ``json`` as received when it is already compact, else the header serialized.
        func serialize(to out: inout ByteWriter) {
            if isCompact {
                out.append(contentsOf: json)
            } else {
                JSONValue.object(header).serialize(to: &out)
            }
        }

        /// The header indented for people (``JSONValue/prettyPrinted(indent:)``): ``json``
        /// re-indented when it is compact, else the header printed from its tree.
        var prettyPrinted: String {
            guard isCompact else { return JSONValue.object(header).prettyPrinted() }
            var out = ByteWriter(capacity: 2 * json.count + 16)
            json.withUnsafeBufferPointer { JSONValue.appendPrettyPrinted(compactText: $0, to: &out) }
            return out.string
        }
    }

    private struct State: Sendable {
        var entries: [Entry] = []
        var next = 0
    }

    /// The longest segment kept: headers are small; a huge one is not worth keeping.
    static let maxSegmentBytes = 1024

    /// The cache every ``CompactToken`` uses.
    static let shared = HeaderCache(capacity: 8)

    let capacity: Int
    /// One cache per thread: `--jobs` threads then share no entry (nor its reference counts).
    private let state = PerThread { State() }

    /// A cache of at most `capacity` headers.
    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// The entry stored for exactly these segment bytes, if any.
    func entry(for segment: UnsafeBufferPointer<UInt8>) -> Entry? {
        guard segment.count <= Self.maxSegmentBytes else { return nil }
        return state.withLock { state in
            state.entries.first { entry in entry.segment.withUnsafeBufferPointer { sameBytes($0, segment) } }
        }
    }

    /// Stores a header that parsed, replacing the oldest entry when full.
    func store(_ entry: Entry) {
        guard entry.segment.count <= Self.maxSegmentBytes else { return }
        state.withLock { state in
            if state.entries.contains(where: { $0.segment == entry.segment }) { return }
            if state.entries.count < capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.next] = entry
                state.next = (state.next + 1) % capacity
            }
        }
    }

    /// The number of headers held for the calling thread.
    var count: Int { state.withLock { $0.entries.count } }
}
