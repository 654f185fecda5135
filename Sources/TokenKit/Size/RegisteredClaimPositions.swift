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

    /// The position of each claim, by ``Claim/rawValue``; -1 when absent.
    private var positions: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (-1, -1, -1, -1, -1, -1, -1)

    /// The positions in `claims`.
    init(_ claims: JSONObject) {
        for (index, member) in claims.members.enumerated() {
            guard let claim = member.name.withUTF8Bytes(Claim.init) else { continue }
            let position = Int32(truncatingIfNeeded: index)
            switch claim {
            case .iss: positions.0 = position
            case .sub: positions.1 = position
            case .aud: positions.2 = position
            case .exp: positions.3 = position
            case .nbf: positions.4 = position
            case .iat: positions.5 = position
            case .jti: positions.6 = position
            }
        }
    }

    /// Whether `name` is one of ``ClaimPolicy/registeredClaims``, byte for byte.
    static func isRegisteredName(_ name: String) -> Bool { name.withUTF8Bytes(Claim.init) != nil }

    /// The position of `claim`, or `nil` when the claim set has none.
    func position(of claim: Claim) -> Int? {
        let position: Int32
        switch claim {
        case .iss: position = positions.0
        case .sub: position = positions.1
        case .aud: position = positions.2
        case .exp: position = positions.3
        case .nbf: position = positions.4
        case .iat: position = positions.5
        case .jti: position = positions.6
        }
        return position < 0 ? nil : Int(position)
    }

    /// Whether the member at `index` is a registered claim.
    func isRegistered(at index: Int) -> Bool {
        let position = Int32(truncatingIfNeeded: index)
        return positions.0 == position || positions.1 == position || positions.2 == position || positions.3 == position
            || positions.4 == position || positions.5 == position || positions.6 == position
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        Claim.allCases.allSatisfy { lhs.position(of: $0) == rhs.position(of: $0) }
    }

    func hash(into hasher: inout Hasher) {
        for claim in Claim.allCases { hasher.combine(position(of: claim)) }
    }
}
