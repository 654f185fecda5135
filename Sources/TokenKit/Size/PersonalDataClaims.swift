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
    public static let openIDConnect: Set<String> = [
        "name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website",
        "email", "gender", "birthdate", "phone_number", "address",
    ]

    /// Common non-standard spellings of the same data.
    public static let commonAliases: Set<String> = [
        "phone", "mobile", "first_name", "last_name", "full_name", "firstname", "lastname", "fullname",
        "date_of_birth", "dob", "street", "street_address", "postal_code", "zip", "ssn",
    ]

    /// The names ``ClaimPolicy`` checks by default: both sets. Names are compared in lower case.
    ///
    /// Each thread gets a set of its own: every inspection of a batch starts from this set, and
    /// one set shared by `--jobs` threads would have its reference count (and the cache line
    /// it shares with the first buckets) bounce between processors on every token.
    public static var `default`: Set<String> { perThreadDefault.withLock { $0 } }

    private static let perThreadDefault = PerThread { openIDConnect.union(commonAliases) }
}
