/// Where each registered claim (RFC 7519 §4.1, ``ClaimPolicy/registeredClaims``) is among a
/// claim set's members, found in one pass over their names, so that the policy and `decode`
/// read `iat`, `exp` and the others by position instead of searching the names for each.
///
/// Names compare as UTF-8 bytes (a registered name is three ASCII letters, for which bytes
/// and `String`'s `==` agree).
struct RegisteredClaimPositions: Hashable, Sendable {
    /// A registered claim, in ``ClaimPolicy/registeredClaims``' order.
    enum Claim: Int, CaseIterable {
        case iss, sub, aud, exp, nbf, iat, jti

        /// The claim's name.
        var name: String { ClaimPolicy.registeredClaims[rawValue] }

        /// The registered claim named `name`, or `nil`.
        init?(_ name: String) {
            guard let claim = name.withUTF8Bytes({ Claim($0) }) else { return nil }
            self = claim
        }

        /// The registered claim named by these bytes, or `nil`.
        init?(_ name: UnsafeBufferPointer<UInt8>) {
            guard name.count == 3 else { return nil }
            switch (name[0], name[1], name[2]) {
            case (UInt8(ascii: "i"), UInt8(ascii: "s"), UInt8(ascii: "s")): self = .iss
            case (UInt8(ascii: "s"), UInt8(ascii: "u"), UInt8(ascii: "b")): self = .sub
            case (UInt8(ascii: "a"), UInt8(ascii: "u"), UInt8(ascii: "d")): self = .aud
            case (UInt8(ascii: "e"), UInt8(ascii: "x"), UInt8(ascii: "p")): self = .exp
            case (UInt8(ascii: "n"), UInt8(ascii: "b"), UInt8(ascii: "f")): self = .nbf
            case (UInt8(ascii: "i"), UInt8(ascii: "a"), UInt8(ascii: "t")): self = .iat
            case (UInt8(ascii: "j"), UInt8(ascii: "t"), UInt8(ascii: "i")): self = .jti
            default: return nil
            }
        }
    }

    /// The position of each claim among the members; -1 when absent.
    private var iss: Int32 = -1
    private var sub: Int32 = -1
    private var aud: Int32 = -1
    private var exp: Int32 = -1
    private var nbf: Int32 = -1
    private var iat: Int32 = -1
    private var jti: Int32 = -1

    /// The positions in `claims`.
    init(_ claims: JSONObject) {
        for (index, member) in claims.members.enumerated() {
            guard let claim = Claim(member.name) else { continue }
            self[claim] = Int32(truncatingIfNeeded: index)
        }
    }

    /// The positions among the members of a claim set read in place.
    init(_ claims: CompactClaims) {
        claims.json.withUnsafeBufferPointer { json in
            for (index, member) in claims.members.enumerated() {
                guard let claim = Claim(UnsafeBufferPointer(rebasing: json[member.span.compactName])) else { continue }
                self[claim] = Int32(truncatingIfNeeded: index)
            }
        }
    }

    /// Whether `name` is one of ``ClaimPolicy/registeredClaims``, byte for byte.
    static func isRegisteredName(_ name: String) -> Bool { Claim(name) != nil }

    /// The position of `claim`, or `nil` when the claim set has none.
    func position(of claim: Claim) -> Int? {
        let position = self[claim]
        return position < 0 ? nil : Int(position)
    }

    /// Whether the member at `index` is a registered claim.
    func isRegistered(at index: Int) -> Bool {
        let position = Int32(truncatingIfNeeded: index)
        return iss == position || sub == position || aud == position || exp == position || nbf == position
            || iat == position || jti == position
    }

    private subscript(claim: Claim) -> Int32 {
        get {
            switch claim {
            case .iss: iss
            case .sub: sub
            case .aud: aud
            case .exp: exp
            case .nbf: nbf
            case .iat: iat
            case .jti: jti
            }
        }
        set {
            switch claim {
            case .iss: iss = newValue
            case .sub: sub = newValue
            case .aud: aud = newValue
            case .exp: exp = newValue
            case .nbf: nbf = newValue
            case .iat: iat = newValue
            case .jti: jti = newValue
            }
        }
    }
}
