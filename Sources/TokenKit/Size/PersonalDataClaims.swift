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
        guard let packed = PackedName(lowercasedName) else { return false }
        return packedDefault.withUnsafeBufferPointer { sorted in
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle].isBefore(packed) { low = middle + 1 } else { high = middle }
            }
            return low < sorted.count && sorted[low].isSame(as: packed)
        }
    }

    /// ``default``'s names packed, in ``PackedName/isBefore(_:)`` order.
    private static let packedDefault = (openIDConnectNames + commonAliasNames).compactMap { name in
        name.withUTF8Bytes(PackedName.init)
    }
        .sorted { $0.isBefore($1) }
}

/// A name of at most 15 UTF-8 bytes and its length in two integers, so that two names are
/// compared in two integer comparisons (`String`'s `==` of two unequal short strings costs
/// about 40 instructions).
private struct PackedName {
    /// Bytes 0 to 7, the first in the lowest bits.
    var low: UInt64 = 0
    /// Bytes 8 to 14, and the length in the highest 8 bits.
    var high: UInt64 = 0

    /// `nil` for a name over 15 bytes (every default name is shorter).
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else { return nil }
        for index in 0..<bytes.count {
            let byte = UInt64(bytes[index])
            if index < 8 { low |= byte << (8 * index) } else { high |= byte << (8 * (index - 8)) }
        }
        high |= UInt64(bytes.count) << 56
    }

    /// An order of packed names (not alphabetical).
    func isBefore(_ other: PackedName) -> Bool { low != other.low ? low < other.low : high < other.high }

    func isSame(as other: PackedName) -> Bool { low == other.low && high == other.high }
}

/// The names a policy reports as personal data: its own set, or ``PersonalDataClaims/default``
/// looked up without a set, less the names it allows.
struct PersonalDataNames {
    /// The policy's own names; `nil` for the default.
    let custom: Set<String>?
    /// Names never reported.
    let allowed: Set<String>

    /// Whether `name`, in lower case, is personal data.
    func contains(_ name: String) -> Bool {
        // The usual case, read from the name's bytes once: the default names, none allowed,
        // and a name already in lower-case ASCII.
        let quick = name.withUTF8Bytes { bytes -> Bool? in
            guard custom == nil, allowed.isEmpty else { return nil }
            for byte in bytes where byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { return nil }
            return PersonalDataClaims.isDefault(bytes)
        }
        if let quick { return quick }
        let lowercased = name.lowercased()
        if !allowed.isEmpty, allowed.contains(lowercased) { return false }
        if let custom { return custom.contains(lowercased) }
        return lowercased.withUTF8Bytes(PersonalDataClaims.isDefault)
    }
}
