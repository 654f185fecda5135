import TokenKit

/// `tokenctl rotate-keys`: rotates a keyset (next → active → retiring → removed), creates
/// one when missing, or shows its state with `--status`.
enum RotateKeysCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        let now = try CommonOptions.now(arguments)
        let policy = try policy(arguments)
        guard let directory = arguments.value("keyset") ?? Keyset.defaultDirectory(environment: console.environment) else {
            throw TokenError(.invalidValue, "no keyset given and no default keyset location: pass --keyset DIR (or set TOKENCTL_KEYSET or HOME)")
        }
        let report: RotationReport
        if arguments.has("status") {
            report = try KeysetRotation.status(directory: directory, policy: policy, now: now)
        } else {
            var lockTimeout = KeysetRotation.defaultLockTimeout
            if let text = arguments.value("lock-wait") { lockTimeout = Double(try TokenDuration.parse(text)) }
            report = try KeysetRotation.rotate(
                directory: directory, policy: policy, now: now, dryRun: arguments.has("dry-run"),
                jwksOut: arguments.value("jwks-out"), lockTimeout: lockTimeout)
        }
        for warning in report.warnings { console.warn("rotate-keys", warning) }
        if arguments.has("json") {
            console.stdout.write(CommonOptions.jsonLine(RotationRender.json(report)))
        } else {
            console.stdout.write(RotationRender.text(report))
        }
        return .success
    }

    /// `--rotate-after`, `--retire-after`, `--force` and `--alg`.
    static func policy(_ arguments: ParsedArguments) throws -> RotationPolicy {
        var policy = RotationPolicy(force: arguments.has("force"))
        if let text = arguments.value("rotate-after") {
            let seconds = try TokenDuration.parse(text)
            guard seconds > 0 else { throw TokenError.invalidValue("--rotate-after must be longer than 0s") }
            policy.rotateAfter = seconds
        }
        if let text = arguments.value("retire-after") { policy.retireAfter = try TokenDuration.parse(text) }
        if let name = arguments.value("alg") {
            guard let algorithm = Algorithm(rawValue: name) else { throw TokenError.invalidValue("unknown algorithm '\(name)'") }
            policy.algorithm = algorithm
        }
        return policy
    }
}
