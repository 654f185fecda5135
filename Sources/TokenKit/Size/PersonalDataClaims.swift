/// Claim names that carry personal data, which belongs in a database fetched by `sub`
/// rather than in every request a token rides on.
///
/// Personal data in a token is copied into every proxy log, browser storage and cache it
/// passes, goes stale when the user changes it, and costs bytes on every request.
public enum PersonalDataClaims {
    /// The OpenID Connect Core 1.0 §5.1 standard claims that describe a person: names,
    /// contact details, address, birthdate, gender, picture and profile pages.
    /// (`sub`, `preferred_username`, `locale`, `zoneinfo`, `updated_at` and the `*_verified`
    /// flags are not personal data in this sense and are left out.)
    public static let openIDConnect = Set(openIDConnectNames)

    /// Common non-standard spellings of the same data.
    public static let commonAliases = Set(commonAliasNames)

    /// The names ``ClaimPolicy`` checks by default: both sets. Names are compared in lower case.
    public static let `default` = openIDConnect.union(commonAliases)

    private static let openIDConnectNames = [
        "name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website",
        "email", "gender", "birthdate", "phone_number", "address",
    ]

    private static let commonAliasNames = [
        "phone", "mobile", "first_name", "last_name", "full_name", "firstname", "lastname", "fullname",
        "date_of_birth", "dob", "street", "street_address", "postal_code", "zip", "ssn",
    ]

    /// Whether a lower-case name, given as its UTF-8 bytes, is in ``default``, without building
    /// a set: the names are packed into integers once (``PackedName``), sorted, and searched by
    /// halves for the packed `name`, cheaper than hashing it for a set, while a one-shot `sign`
    /// (which checks a handful of claims) skips making sets of strings, about 4 % of its instructions.
    static func isDefault(_ lowercasedName: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most names are told apart by their first letter and length alone.
        guard let first = lowercasedName.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"),
            lowercasedName.count <= PackedName.maxByteCount,
            lengthsByFirstLetter[Int(first - UInt8(ascii: "a"))] & (1 << lowercasedName.count) != 0,
            let packed = PackedName(lowercasedName)
        else { return false }
        return packedDefault.withUnsafeBufferPointer { sorted in
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle].isBefore(packed) { low = middle + 1 } else { high = middle }
            }
            return low < sorted.count && sorted[low] == packed
        }
    }

    /// For each first letter, `a` to `z`, a bit for each length of a name in ``default`` that
    /// starts with it (bit 3 of `s`'s entry: `ssn`).
    private static let lengthsByFirstLetter: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 26)
        for name in openIDConnectNames + commonAliasNames {
            table[Int(name.utf8.first! - UInt8(ascii: "a"))] |= 1 << name.utf8.count
        }
        return table
    }()

    /// ``default``'s names packed, in ``PackedName/isBefore(_:)`` order.
    private static let packedDefault = (openIDConnectNames + commonAliasNames).map { PackedName($0) }.sorted { $0.isBefore($1) }
}

/// The names a policy reports as personal data: its own set, or ``PersonalDataClaims/default``
/// looked up without a set, less the names it allows.
struct PersonalDataNames {
    /// The policy's own names; `nil` for the default.
    let custom: Set<String>?
    /// Names never reported.
    let allowed: Set<String>

    /// Whether a registered claim name (`iss`, `sub`...) may be among the names: only a
    /// policy's own list can hold one, never ``PersonalDataClaims/default``.
    var mayHoldRegisteredNames: Bool { custom != nil }

    /// Whether `name`, in lower case, is personal data.
    func contains(_ name: String) -> Bool {
        // The usual case, read from the name's bytes once: the default names, none allowed,
        // and a name already in lower-case ASCII.
        // (The sets are tested outside the closure, which then captures nothing to retain.)
        if custom == nil, allowed.isEmpty {
            let quick = name.withUTF8Bytes { bytes -> Bool? in
                for byte in bytes where byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { return nil }
                return PersonalDataClaims.isDefault(bytes)
            }
            if let quick { return quick }
        }
        let lowercased = name.lowercased()
        if !allowed.isEmpty, allowed.contains(lowercased) { return false }
        if let custom { return custom.contains(lowercased) }
        return lowercased.withUTF8Bytes(PersonalDataClaims.isDefault)
    }
}
