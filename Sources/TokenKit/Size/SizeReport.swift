/// The byte accounting of one compact JWS: its total length, the length of each base64url
/// segment, and what each claim costs (RFC 7515 §7.1).
///
/// A report comes from a token (``init(token:)``: the lengths are the token's own) or
/// from a claim set (``init(claimSet:algorithm:rsaModulusBits:okpCurve:kid:now:lifetime:)``:
/// the lengths are those of the token `sign` would write for it). Numbers are characters of
/// the compact serialization, which are also its bytes (base64url and `.` are ASCII).
public struct SizeReport: Hashable, Sendable {
    /// Where the numbers come from.
    public enum Kind: String, Hashable, Sendable {
        /// An existing token, measured as it is.
        case token
        /// A claim set, measured as `sign` would encode it.
        case claimSet = "claim_set"
    }

    /// Whether this report measures a token or a planned claim set.
    public let kind: Kind
    /// The JOSE header measured.
    public let header: JSONObject
    /// The claims measured; for a claim set, including those `sign` adds (``addedClaims``).
    /// (A token's usual claim set is read in place, and parsed here when asked for.)
    public var claims: JSONObject {
        switch storage {
        case .tree(let object): object
        case .compact(let compact): compact.object
        }
    }
    /// The claims as parsed, or read in place (``CompactClaims``): the policy reads them
    /// through ``claimCount``, ``claimName(at:)``, ``claimValue(at:)`` and ``claimShape(at:personalData:)``.
    private let storage: Storage
    /// The length of the base64url header segment.
    public let headerBytes: Int
    /// The length of the base64url payload segment.
    public let payloadBytes: Int
    /// The length of the base64url signature segment.
    public let signatureBytes: Int
    /// What each top-level claim costs, in the payload's order.
    public let claimCosts: [ClaimCost]
    /// The claims `sign` would add to a claim set (`iat`, `exp`), in the order it appends
    /// them after the given claims; empty for a token.
    public let addedClaims: [String]
    /// Where the registered claims are among ``claims``' members.
    let registeredPositions: RegisteredClaimPositions

    /// How ``claims`` are kept.
    private enum Storage: Sendable {
        case tree(JSONObject)
        case compact(CompactClaims)
    }

    /// The number of claims.
    var claimCount: Int {
        switch storage {
        case .tree(let object): object.count
        case .compact(let compact): compact.members.count
        }
    }

    /// The name of the claim at `index` (in the payload's order).
    func claimName(at index: Int) -> String {
        switch storage {
        case .tree(let object): object.members[index].name
        case .compact: claimCosts[index].name  // one cost a member, in order, named as read
        }
    }

    /// The value of the claim at `index` (parsed from its text when read in place).
    func claimValue(at index: Int) -> JSONValue {
        switch storage {
        case .tree(let object): object.members[index].value
        case .compact(let compact): compact.value(at: index)
        }
    }

    /// Whether the claim at `index` is a non-empty string or a number: the values
    /// ``ClaimPolicy`` compares with the registered claims'.
    func claimIsComparableScalar(at index: Int) -> Bool {
        switch storage {
        case .tree(let object):
            switch object.members[index].value {
            case .string(let text): return !text.isEmpty
            case .number: return true
            default: return false
            }
        case .compact(let compact):
            let range = compact.members[index].span.compactValue
            let first = compact.json[range.lowerBound]
            return first == UInt8(ascii: "\"") ? range.count > 2 : first == UInt8(ascii: "-") || JSONDigitRun.isDigit(first)
        }
    }

    /// What ``ClaimPolicy`` measures of the claim at `index`'s value, looking for the names in
    /// `personalData` in its objects.
    func claimShape(at index: Int, personalData: PersonalDataNames) -> ClaimShape {
        switch storage {
        case .tree(let object): ClaimShape(object.members[index].value, personalData: personalData)
        case .compact(let compact): compact.members[index].shape  // no object inside, so no name
        }
    }

    public static func == (lhs: SizeReport, rhs: SizeReport) -> Bool {
        lhs.kind == rhs.kind && lhs.header == rhs.header && lhs.headerBytes == rhs.headerBytes
            && lhs.payloadBytes == rhs.payloadBytes && lhs.signatureBytes == rhs.signatureBytes
            && lhs.claimCosts == rhs.claimCosts && lhs.addedClaims == rhs.addedClaims && lhs.claims == rhs.claims
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(header)
        hasher.combine(claims)
        hasher.combine(headerBytes)
        hasher.combine(payloadBytes)
        hasher.combine(signatureBytes)
        hasher.combine(claimCosts)
        hasher.combine(addedClaims)
    }

    /// The length of the compact token: the three segments and the two dots.
    public var totalBytes: Int { headerBytes + payloadBytes + signatureBytes + 2 }

    /// The header's `alg`, when it is a string.
    public var algorithmName: String? { header["alg"]?.stringValue }

    /// The claim costs from the most to the least expensive; ties keep the payload's order.
    public var claimCostsBySize: [ClaimCost] {
        var sorted: [ClaimCost] = []
        sorted.reserveCapacity(claimCosts.count)
        forEachClaimCostBySize { sorted.append($0) }
        return sorted
    }

    /// Calls `body` with each claim cost in ``claimCostsBySize``'s order, without making that
    /// array (the renderers walk it once a token).
    public func forEachClaimCostBySize(_ body: (ClaimCost) throws -> Void) rethrows {
        // An insertion sort, stable, for the few claims of a usual token; a merge sort beyond.
        guard claimCosts.count <= 32 else {
            let sorted = claimCosts.enumerated().sorted { lhs, rhs in
                lhs.element.bytes != rhs.element.bytes ? lhs.element.bytes > rhs.element.bytes : lhs.offset < rhs.offset
            }
            for (_, cost) in sorted { try body(cost) }
            return
        }
        // Positions are sorted, not the costs: moving a cost copies its name (reference counts).
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: claimCosts.count) { order in
            for index in claimCosts.indices {
                let bytes = claimCosts[index].bytes
                var slot = index
                while slot > 0, claimCosts[order[slot - 1]].bytes < bytes {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = index
            }
            for position in order { try body(claimCosts[position]) }
        }
    }

    /// What removing the claim `name` would save, or 0 when there is no such claim.
    public func cost(of name: String) -> Int {
        claimCosts.first(where: { $0.name == name })?.bytes ?? 0
    }

    /// What removing the member at `index` of ``claims`` would save (``cost(of:)``, read by
    /// position: the costs are in the members' order).
    func cost(ofMemberAt index: Int) -> Int {
        claimCosts.count == claimCount ? claimCosts[index].bytes : cost(of: claimName(at: index))
    }

    /// The value of a registered claim and what removing it would save, found by position;
    /// `nil` when the claims have none.
    func registeredClaim(_ claim: RegisteredClaimPositions.Claim) -> (value: JSONValue, cost: Int)? {
        guard let index = registeredPositions.position(of: claim) else { return nil }
        return (claimValue(at: index), cost(ofMemberAt: index))
    }

    /// The `kid` length assumed for a claim set: an RFC 7638 thumbprint (SHA-256, base64url),
    /// which `sign` writes by default for a public-key algorithm.
    public static let placeholderKid = TokenSigner.defaultKeyID(forAlgorithm: .es256)!

    /// The lifetime `sign` gives a token without `exp` (``ClaimSetBuilder/defaultLifetime``).
    public static let defaultSignLifetime: Int64 = ClaimSetBuilder.defaultLifetime

    /// A report from the parts of a token or planned token.
    ///
    /// - Parameters:
    ///   - claims: the payload's members, as parsed from its JSON text.
    ///   - payloadBytes: the length of the payload's JSON text, exactly as encoded in the
    ///     payload segment.
    ///   - memberSpans: where each member of `claims` is in that text, in order.
    init(
        kind: Kind, header: JSONObject, headerBytes: Int, claims: JSONObject, payloadBytes payloadJSONBytes: Int,
        memberSpans: [JSONParser.MemberSpan], signatureBytes: Int, addedClaims: [String] = []
    ) {
        self.kind = kind
        self.header = header
        self.storage = .tree(claims)
        self.headerBytes = headerBytes
        self.payloadBytes = Base64URL.encodedLength(ofByteCount: payloadJSONBytes)
        self.signatureBytes = signatureBytes
        self.addedClaims = addedClaims
        self.registeredPositions = RegisteredClaimPositions(claims)
        // Without a span for each member (not reached: the parser gives them, for a planned
        // claim set from its serialization), re-serializing is the safe fallback.
        self.claimCosts =
            ClaimCost.costs(ofMembersOf: claims, spans: memberSpans, jsonByteCount: payloadJSONBytes)
            ?? SizeReport.reserializedCosts(claims)
    }

    /// A token's report from its claim set read in place.
    init(token: CompactToken, claims: CompactClaims) {
        self.kind = .token
        self.header = token.header
        self.storage = .compact(claims)
        self.headerBytes = token.headerSegmentLength
        self.payloadBytes = Base64URL.encodedLength(ofByteCount: claims.json.count)
        self.signatureBytes = token.signatureSegmentLength
        self.addedClaims = []
        self.registeredPositions = RegisteredClaimPositions(claims)
        self.claimCosts = ClaimCost.costs(
            spans: claims.members.lazy.map(\.span), jsonByteCount: claims.json.count, name: claims.name(at:))
    }

    /// The size of a token as it is: each length is that of the token's own segment, and a
    /// claim's cost is what removing it from the payload's own JSON text would save (so
    /// whitespace and escapes count as the token has them; see ``ClaimCost``).
    ///
    /// - Parameter token: a parsed compact JWS.
    /// - Throws: ``TokenError/Code/malformed`` when the payload is not a JSON object.
    public init(token: CompactToken) throws {
        if let claims = CompactClaims(token.payload) {
            self.init(token: token, claims: claims)
            return
        }
        let payload = try JWTClaims.parsePayload(token.payload, recordingMembers: true)
        self.init(
            kind: .token, header: token.header, headerBytes: token.headerSegmentLength, claims: payload.object,
            payloadBytes: token.payload.count, memberSpans: payload.memberSpans, signatureBytes: token.signatureSegmentLength)
    }

    /// The size of the token `sign` would write for a claim set.
    ///
    /// The header is ``JOSEHeader/forSigning(algorithm:kid:type:extra:)`` with `typ: JWT`
    /// (Ed25519 and Ed448 are written as `EdDSA`, as `sign` does); the payload is the compact
    /// serialization of the claims, with `iat` (now) and then `exp` (now + `lifetime`)
    /// appended when absent (``ClaimSetBuilder/fillDefaults(now:lifetime:)``: `exp` counts from
    /// a given `iat`), as `sign` does by default; the signature has the algorithm's
    /// length (``Algorithm/signatureByteCount(rsaModulusBits:okpCurve:)``).
    ///
    /// - Parameters:
    ///   - claimSet: the claims, in the order `sign` is given them.
    ///   - algorithm: the signing algorithm (`--alg`, ES256 by default).
    ///   - rsaModulusBits: the RSA key size for RS* and PS* (2048 unless a key says otherwise).
    ///   - okpCurve: the curve of an EdDSA key (Ed25519 unless a key says otherwise).
    ///   - kid: the key id `sign` would write: by default a 43-character thumbprint
    ///     (``placeholderKid``); `nil` for none (a raw HMAC secret).
    ///   - now: the Unix time taken for `iat` and `exp`.
    ///   - lifetime: the seconds from `iat` to the `exp` `sign` would add.
    public init(
        claimSet: JSONObject, algorithm: Algorithm, rsaModulusBits: Int = 2048, okpCurve: OKPCurve = .ed25519,
        kid: String? = SizeReport.placeholderKid, now: Int64, lifetime: Int64 = SizeReport.defaultSignLifetime
    ) {
        let headerAlgorithm = algorithm.signingName
        let curve = algorithm == .ed448 ? OKPCurve.ed448 : algorithm == .ed25519 ? .ed25519 : okpCurve
        let header = JOSEHeader.forSigning(algorithm: headerAlgorithm, kid: kid)
        var builder = ClaimSetBuilder(base: claimSet)
        let added = builder.fillDefaults(now: now, lifetime: lifetime)
        self.init(
            plannedClaims: builder.claims, header: header,
            signatureByteCount: headerAlgorithm.signatureByteCount(rsaModulusBits: rsaModulusBits, okpCurve: curve),
            addedClaims: added)
    }

    /// The size of the token a signer writes for claims whose defaults are already filled
    /// (``ClaimSetBuilder/fillDefaults(now:lifetime:)``) under a prepared header
    /// (``TokenSigner/header(type:extra:)``), with signatures of ``TokenSigner/signatureByteCount``.
    ///
    /// - Parameters:
    ///   - plannedClaims: the payload's claims, in order.
    ///   - header: the JOSE header.
    ///   - signatureByteCount: the raw signature length.
    ///   - addedClaims: the claims the defaults added, for the report.
    public init(plannedClaims: JSONObject, header: JSONObject, signatureByteCount: Int, addedClaims: [String] = []) {
        // The members' spans as the parser finds them in the token's payload (one way to
        // find them): the serialization always parses.
        let payload = JSONValue.object(plannedClaims).serializedBytes
        let spans = (try? JSONParser.parseDocument(payload, recordingMembers: true))?.memberSpans ?? []
        self.init(
            kind: .claimSet, header: header,
            headerBytes: Base64URL.encodedLength(ofByteCount: header.serialized.utf8.count), claims: plannedClaims,
            payloadBytes: payload.count, memberSpans: spans,
            signatureBytes: Base64URL.encodedLength(ofByteCount: signatureByteCount), addedClaims: addedClaims)
    }

    /// The costs computed by re-serializing the claims without each member in turn.
    static func reserializedCosts(_ claims: JSONObject) -> [ClaimCost] {
        let total = Base64URL.encodedLength(ofByteCount: claims.serialized.utf8.count)
        return claims.names.map { name in
            var without = claims
            without[name] = nil
            return ClaimCost(name: name, bytes: total - Base64URL.encodedLength(ofByteCount: without.serialized.utf8.count))
        }
    }
}
