#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// The small-claims policy of `sign` and `inspect-size`: `--policy FILE`, else
/// `.tokenctl.json` in the working directory or the nearest parent that has one, else the
/// defaults. Budget options given on the command line then replace the file's budget.
enum PolicyOptions {
    /// The policy before command-line budget options.
    ///
    /// - Throws: `input_unreadable` for a `--policy` file that cannot be read;
    ///   `malformed_json` for a policy file that is not valid (unknown members included).
    static func policy(_ arguments: ParsedArguments) throws -> ClaimPolicy {
        let path = arguments.value("policy") ?? ClaimPolicy.findFile(from: POSIX.currentDirectory())
        guard let path else { return ClaimPolicy() }
        let bytes = try FileAccess.readRegularFile(path, what: "policy file")
        do {
            return try ClaimPolicy(json: bytes)
        } catch let error as TokenError {
            throw TokenError(error.code, "\(path): \(error.reason)", remedy: error.remedy)
        }
    }

    /// `policy` with a command-line budget in place of its own; the soft budget stays at most
    /// the hard one.
    static func replacingBudget(_ policy: ClaimPolicy, with budget: SizeBudget?) -> ClaimPolicy {
        guard let budget else { return policy }
        var changed = policy
        changed.budget = budget
        changed.softBudget = min(policy.softBudget, budget.bytes)
        return changed
    }
}
