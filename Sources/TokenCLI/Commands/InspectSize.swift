import Foundation
import TokenKit

/// `tokenctl inspect-size`: measures tokens and planned claim sets against a size budget,
/// claim by claim, and fails (exit 1) when one is over budget or a policy finding at the
/// `--fail-on` level stands.
///
/// Inputs, in this order: each `--claims FILE`; then each positional: `-` (tokens on
/// standard input, one a line), an existing file (a claim set when its name ends in `.json`
/// or its first non-blank line starts with `{`, else tokens one a line), or a token (a bare
/// token or a header line holding one). With no input at all, tokens are read from standard
/// input unless it is a terminal. Inputs are named by path, `path:LINE`, `argument N` or
/// `stdin:LINE`, never by the token text, so a CI log does not collect bearer tokens.
enum InspectSizeCommand {
    /// The largest claim-set file read: 1 MiB.
    static let maxClaimSetBytes = FileAccess.defaultMaxBytes
    /// How much longer than `--max-token-bytes` an input line may be (the same slack as verify's).
    static let lineSlack = TokenInputs.lineSlack

    /// Output formats of `--format`.
    enum Format: String {
        case text, json, github
    }

    /// The resolved options.
    struct Options {
        var policy: ClaimPolicy
        var algorithm: Algorithm
        var rsaModulusBits = 2048
        var okpCurve = "Ed25519"
        var kid: String? = SizeReport.placeholderKid
        var format: Format
        var failOn: Finding.Severity
        var maxTokenBytes: Int
        var now: Int64

        init(_ arguments: ParsedArguments) throws {
            let budget = try arguments.value("budget").map(SizeBudget.parse) ?? ClaimPolicy().budget
            let cookieName = arguments.value("cookie-name")
            var context = SizeContext.bare
            if let text = arguments.value("context") {
                context = try SizeContext.parse(text, cookieName: cookieName ?? SizeContext.defaultCookieName)
                if case .cookie = context {} else if cookieName != nil {
                    throw TokenError.invalidValue("--cookie-name applies only to --context cookie")
                }
            } else if let cookieName {
                context = try SizeContext.parse("cookie", cookieName: cookieName)
            }
            policy = ClaimPolicy(budget: budget, context: context)
            let algorithmName = arguments.value("alg") ?? Algorithm.es256.rawValue
            guard let algorithm = Algorithm(rawValue: algorithmName) else {
                throw TokenError.invalidValue("unknown algorithm '\(algorithmName)'")
            }
            self.algorithm = algorithm
            if algorithm == .ed448 { okpCurve = "Ed448" }
            let formatName = arguments.value("format") ?? "text"
            guard let format = Format(rawValue: formatName) else {
                throw TokenError.invalidValue("format '\(formatName)' is not one of text, json, github")
            }
            self.format = format
            switch arguments.value("fail-on") ?? "error" {
            case "error": failOn = .error
            case "warning": failOn = .warning
            case let other: throw TokenError.invalidValue("--fail-on '\(other)' is not one of error, warning")
            }
            maxTokenBytes = try CommonOptions.maxTokenBytes(arguments)
            now = try CommonOptions.now(arguments)
            if let keyPath = arguments.value("key") {
                let keys: [Key]
                do {
                    keys = try KeySource.keys(from: try FileAccess.readRegularFile(keyPath, what: "key file"))
                } catch let error as TokenError {
                    throw TokenError(error.code, "\(keyPath): \(error.reason)")
                }
                if let key = keys.first { size(as: key, explicitAlgorithm: arguments.value("alg") != nil) }
            }
        }

        /// Takes the algorithm, RSA size, curve and kid `sign` would use with this key: its
        /// default algorithm unless `--alg` was given, and `sign`'s default kid.
        private mutating func size(as key: Key, explicitAlgorithm: Bool) {
            if !explicitAlgorithm { algorithm = key.defaultAlgorithm }
            switch key.type {
            case .rsa(let bits): rsaModulusBits = bits
            case .okp(let curve): okpCurve = curve
            case .oct, .ec: break
            }
            kid = TokenSigner.defaultKeyID(for: key)
        }
    }

    /// Runs the command.
    ///
    /// - Returns: `.rejected` when an input fails (over budget, a finding at `--fail-on`,
    ///   or a malformed token), `.success` otherwise.
    /// - Throws: ``TokenError`` `.invalidValue` for bad options or no input;
    ///   `.inputUnreadable` for a file or stream that cannot be read; `.malformedJSON` for a
    ///   claim-set file that is not a JSON object (all exit 2).
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        let options = try Options(arguments)
        var checks: [SizeCheck] = []
        for path in arguments.values("claims") {
            checks.append(try claimSetCheck(path: path, options: options))
        }
        var readStandardInput = arguments.positionals.isEmpty && arguments.values("claims").isEmpty
        if readStandardInput && console.stdin.isTerminal {
            throw TokenError.invalidValue(
                "no input: give tokens or claim-set files as arguments, use --claims FILE, or pipe tokens on standard input")
        }
        for (index, argument) in arguments.positionals.enumerated() {
            if argument == "-" {
                readStandardInput = true
            } else if FileAccess.exists(argument) {
                if !FileAccess.isRegularFile(argument) {
                    throw TokenError(.inputUnreadable, "\(argument) is not a regular file holding tokens or a claim set")
                }
                checks += try fileChecks(path: argument, options: options)
            } else if let check = tokenCheck(argument, input: "argument \(index + 1)", options: options) {
                checks.append(check)
            }
        }
        if readStandardInput {
            checks += try lineChecks(console.stdin, name: "stdin", file: nil, options: options)
        }
        if checks.isEmpty {
            throw TokenError.invalidValue("no token found in the input")
        }
        switch options.format {
        case .text: console.stdout.write(SizeCheck.text(checks, failOn: options.failOn))
        case .json: console.stdout.write(SizeCheck.json(checks))
        case .github: console.stdout.write(SizeCheck.github(checks))
        }
        return checks.contains { $0.fails(at: options.failOn) } ? .rejected : .success
    }

    /// Sizes one token text (a bare token or a line holding one); `nil` for a blank line.
    static func tokenCheck(
        _ line: String, input: String, file: String? = nil, line number: Int? = nil, options: Options
    ) -> SizeCheck? {
        guard let text = TokenExtractor.token(fromLine: line) else { return nil }
        do {
            let report = try SizeReport(token: CompactToken(text, maxBytes: options.maxTokenBytes))
            return SizeCheck(input: input, file: file, line: number, report: report, policy: options.policy, now: options.now)
        } catch {
            let tokenError = error as? TokenError ?? TokenError.malformed("\(error)")
            return SizeCheck(
                input: input, file: file, line: number, byteCount: text.utf8.count, error: tokenError,
                policy: options.policy)
        }
    }

    /// Sizes each token of a stream, one a line; blank lines are skipped, an over-long line
    /// is reported as malformed and reading goes on.
    static func lineChecks(_ stream: ByteInput, name: String, file: String?, options: Options) throws -> [SizeCheck] {
        var checks: [SizeCheck] = []
        var number = 0
        while true {
            number += 1
            let bytes: [UInt8]
            do {
                guard let line = try stream.readLine(maxBytes: options.maxTokenBytes + lineSlack) else { break }
                bytes = line
            } catch let error as TokenError where error.code == .malformed {
                checks.append(SizeCheck(
                    input: "\(name):\(number)", file: file, line: number, byteCount: options.maxTokenBytes + lineSlack,
                    error: error, policy: options.policy))
                continue
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let check = tokenCheck(text, input: "\(name):\(number)", file: file, line: number, options: options) {
                checks.append(check)
            }
        }
        return checks
    }

    /// Sizes an existing file: a claim set, or tokens one a line.
    static func fileChecks(path: String, options: Options) throws -> [SizeCheck] {
        if path.lowercased().hasSuffix(".json") { return [try claimSetCheck(path: path, options: options)] }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw unreadable(path, errno) }
        defer { close(fd) }
        let stream = FileDescriptorInput(fd: fd)
        // A claim set's first non-blank line starts with "{"; a token line never does. (An
        // over-long first line is left for lineChecks to report.)
        while let line = try? stream.readLine(maxBytes: options.maxTokenBytes + lineSlack) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text.hasPrefix("{") { return [try claimSetCheck(path: path, options: options)] }
            break
        }
        let restart = open(path, O_RDONLY)
        guard restart >= 0 else { throw unreadable(path, errno) }
        defer { close(restart) }
        return try lineChecks(FileDescriptorInput(fd: restart), name: path, file: path, options: options)
    }

    /// Sizes a claim-set file as `sign` would encode it.
    ///
    /// - Throws: `.inputUnreadable`, or `.malformedJSON` when it is not a JSON object.
    static func claimSetCheck(path: String, options: Options) throws -> SizeCheck {
        let bytes = try FileAccess.read(path, maxBytes: maxClaimSetBytes, what: "claim-set file")
        let claims = try JSONParser.parseObject(bytes, what: "claim-set file '\(path)'", code: .malformedJSON)
        let report = SizeReport(
            claimSet: claims, algorithm: options.algorithm, rsaModulusBits: options.rsaModulusBits,
            okpCurve: options.okpCurve, kid: options.kid, now: options.now)
        return SizeCheck(input: path, file: path, report: report, policy: options.policy, now: options.now)
    }

    private static func unreadable(_ path: String, _ code: Int32) -> TokenError {
        TokenError(.inputUnreadable, "cannot read \(path): \(String(cString: strerror(code)))")
    }
}
