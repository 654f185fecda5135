import TokenKit

extension TokenError.Remedy {
    /// The remedy in tokenctl's terms: the option that applies it. The one table of them.
    var hint: String {
        switch self {
        case .raiseTokenSizeLimit: return "raise the limit with --max-token-bytes"
        case .allowMissingExpiration: return "pass --allow-no-exp to accept tokens that never expire"
        case .giveKeyPassword: return "pass its password with --password-file or --password-env"
        case .giveAsKey: return "pass it with --key instead"
        case .nameExpectedAudience: return "pass --aud with the audience you expect, or --ignore-aud to skip the check"
        case .nameKeyID: return "pass it with --kid, or use --keyset for a managed keyset"
        case .giveKey: return "pass --key FILE, --secret-file FILE, --secret-env VAR or --keyset DIR"
        default: return ""
        }
    }
}

extension TokenError {
    /// The reason followed by the option that fixes it, when TokenKit names a remedy: what
    /// tokenctl prints. TokenKit's own reasons never name command-line options.
    var reasonWithHint: String {
        guard let hint = remedy?.hint, !hint.isEmpty else { return reason }
        return "\(reason); \(hint)"
    }
}
