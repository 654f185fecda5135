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

    /// Whether a lower-case name is in ``default``, without building a set: each name is
    /// short, so comparing it with the 28 names costs about what hashing it would, and a
    /// one-shot `sign` (which checks a handful of claims) skips making sets of strings,
    /// about 4 % of its instructions.
    static func isDefault(_ lowercasedName: String) -> Bool {
        openIDConnectNames.contains(lowercasedName) || commonAliasNames.contains(lowercasedName)
    }
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
        var name = name
        let alreadyLower = name.withUTF8 { bytes in
            for byte in bytes where byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { return false }
            return true
        }
        let lowercased = alreadyLower ? name : name.lowercased()
        if !allowed.isEmpty, allowed.contains(lowercased) { return false }
        if let custom { return custom.contains(lowercased) }
        return PersonalDataClaims.isDefault(lowercased)
    }
}
