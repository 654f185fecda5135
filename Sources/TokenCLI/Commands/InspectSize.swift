#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// `tokenctl inspect-size`: measures tokens and planned claim sets against a size budget,
/// claim by claim, and fails (exit 1) when one is over budget or a policy finding at the
/// `--fail-on` level stands.
///
/// Inputs, in this order: each `--claims` (a path, `@FILE`, `-` or a JSON object); then each
/// positional: `-` (tokens on standard input, one a line), or what ``InputArgument`` makes of
/// it: a token (a bare token or a header line holding one), or a path, read once as a stream
/// (a claim set when its name ends in `.json` or its first non-blank line starts with `{`,
/// else tokens one a line). With no input at all, tokens are read from standard input unless
/// it is a terminal. Inputs are named by path, `path:LINE`, `argument N` or `stdin:LINE`,
/// never by the token text, so a CI log does not collect bearer tokens. An input that cannot
/// be read or sized is reported in its place and the run goes on.
enum InspectSizeCommand {
    /// The largest claim-set file read: 1 MiB.
    static let maxClaimSetBytes = FileAccess.defaultMaxBytes
    /// How much longer than `--max-token-bytes` an input line may be (the same slack as verify's).
    static let lineSlack = TokenInputs.lineSlack

    /// Output formats of `--format`.
    enum Format: String, CaseIterable {
        case text, json, github
    }

    /// The `--fail-on` levels, worst first: a finding of the level or worse fails the run.
    static let failOnLevels: [Finding.Severity] = Finding.Severity.allCases.filter { $0 > .info }.sorted(by: >)

    /// The resolved options.
    struct Options: Sendable {
        var policy: ClaimPolicy
        var algorithm: Algorithm
        /// The signer `sign` would use (a key option, else the default keyset when it exists),
        /// or `nil` to size for `algorithm` with no particular key.
        var signer: TokenSigner?
        /// The header `signer` would write.
        var header = JSONObject()
        var format: Format
        var failOn: Finding.Severity
        var maxTokenBytes: Int
        var now: Int64
        /// `--jobs`: the threads that size the lines of a stream.
        var jobs = 1

        init(_ arguments: ParsedArguments, _ console: Console) throws {
            let budget = try arguments.value("budget").map(SizeBudget.parse)
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
            policy = PolicyOptions.replacingBudget(try PolicyOptions.policy(arguments), with: budget)
            policy.context = context
            let algorithmName = arguments.value("alg") ?? Algorithm.es256.rawValue
            guard let algorithm = Algorithm(rawValue: algorithmName) else {
                throw TokenError.invalidValue("unknown algorithm '\(algorithmName)'")
            }
            self.algorithm = algorithm
            let formatName = arguments.value("format") ?? (arguments.has("json") ? "json" : "text")
            guard let format = Format(rawValue: formatName) else {
                throw TokenError.invalidValue(
                    "format '\(formatName)' is not one of \(Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.format = format
            let level = arguments.value("fail-on") ?? Finding.Severity.error.rawValue
            guard let failOn = InspectSizeCommand.failOnLevels.first(where: { $0.rawValue == level }) else {
                let names = InspectSizeCommand.failOnLevels.map(\.rawValue).joined(separator: ", ")
                throw TokenError.invalidValue("--fail-on '\(level)' is not one of \(names)")
            }
            self.failOn = failOn
            maxTokenBytes = try CommonOptions.maxTokenBytes(arguments)
            now = try CommonOptions.now(arguments)
            jobs = try BatchJobs.count(arguments)
            // The same key, algorithm, kid and header decisions as sign's (SignOptions).
            signer = try SignOptions.signer(
                arguments, console, command: "inspect-size", now: now, createDefaultKeyset: false)
            if let signer { header = try SignOptions.header(signer, arguments) }
        }

        /// `check`, the input at `position` among the arguments, as the report takes it; its
        /// JSON line (`--format json`) is appended to `json`.
        func sized(_ check: consuming SizeCheck, position: Int, json: inout ByteWriter) -> SizedInput {
            // Taken, not copied: a copy of a check is a reference count on each of its parts.
            check.position = position
            return SizedInput(check, format: format, failOn: failOn, json: &json)
        }
    }

    /// Runs the command. Every input is reported, in order, even after one fails; the exit
    /// status is the most severe of all (an unreadable file 2, a rejected input 1).
    ///
    /// - Returns: `.usage` when an input could not be read; `.rejected` when an input fails
    ///   (over budget, a finding at `--fail-on`, or a malformed token); `.success` otherwise.
    /// - Throws: ``TokenError`` `.invalidValue` for bad options or no input; `.malformedJSON`
    ///   for an inline or standard-input `--claims` that is not a JSON object (a claim-set
    ///   file that is not one is reported as its input and the run goes on).
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        _ = try BatchJobs.count(arguments)  // checked in --scan mode too, which uses one thread
        if arguments.has("scan") { return try ScanSizeCommand.run(arguments, console) }
        try ScanCommand.requireScan(arguments)
        let options = try Options(arguments, console)
        let sink = SizeCheckSink(format: options.format, failOn: options.failOn, console: console)
        var position = 0
        func add(_ check: SizeCheck, position: Int) {
            var json = ByteWriter(capacity: SizedInput.typicalJSONLineBytes)
            let sized = options.sized(check, position: position, json: &json)
            json.withBytes { add(sized, json: $0) }
        }
        func add(_ sized: SizedInput, json: UnsafeBufferPointer<UInt8>) {
            if let error = sized.unreadable { console.error("inspect-size", code: error.code.id, error.reason) }
            sink.add(sized, json: json)
        }
        for value in arguments.values("claims") {
            position += 1
            add(try claimsOptionCheck(value, console, options: options), position: position)
        }
        var readStandardInput = arguments.positionals.isEmpty && arguments.values("claims").isEmpty
        if readStandardInput && console.stdin.isTerminal {
            throw TokenError.invalidValue(
                "no input: give tokens or claim-set files as arguments, use --claims FILE, or pipe tokens on standard input")
        }
        for argument in arguments.positionals {
            position += 1
            if argument == "-" {
                readStandardInput = true
                continue
            }
            switch InputArgument.classify(argument) {
            case .token(let token):
                add(tokenCheck(token, input: "argument \(position)", options: options), position: position)
            case .path(let path):
                try fileChecks(path: path, position: position, options: options, add)
            }
        }
        if readStandardInput {
            try lineChecks(console.stdin, name: "stdin", file: nil, position: position + 1, options: options, add)
        }
        if sink.count == 0 {
            throw TokenError.invalidValue("no token found in the input")
        }
        sink.finish()
        return sink.status
    }

    /// Sizes one token text (a bare token or a line holding one); a line without a token is
    /// reported as malformed.
    static func tokenCheck(
        _ line: String, input: String, file: String? = nil, line number: Int? = nil, options: Options
    ) -> SizeCheck {
        guard let text = TokenExtractor.token(fromLine: line) else {
            return SizeCheck(
                input: input, file: file, line: number, byteCount: line.utf8.count,
                error: .malformed(line.allSatisfy { $0 == " " || $0 == "\t" } ? "blank line: no token" : "no token on this line"),
                policy: options.policy)
        }
        if APIKey.looksLikeAPIKey(text), let apiKey = try? APIKey.inspect(text) {
            return SizeCheck(input: input, file: file, line: number, apiKey: apiKey, policy: options.policy)
        }
        do {
            let report = try SizeReport(token: CompactToken(text, maxBytes: options.maxTokenBytes))
            return SizeCheck(input: input, file: file, line: number, report: report, policy: options.policy, now: options.now)
        } catch {
            return SizeCheck(
                input: input, file: file, line: number, byteCount: text.utf8.count, error: TokenError.wrapping(error),
                policy: options.policy)
        }
    }

    /// Sizes each token of a stream, one a line: every line is one input (a blank line is a
    /// malformed one), an over-long line is reported with its real length and reading goes on.
    /// Lines are read in blocks (``LineBlock``); with `--jobs`, blocks are sized (and their
    /// JSON rendered, ``SizedBlock``) on several threads and emitted in order
    /// (``OrderedBatch``), so a block, not a line, crosses between threads. `position` is the
    /// stream's place among the arguments.
    static func lineChecks(
        _ stream: ByteInput, name: String, file: String?, position: Int, options: Options, firstLines: [[UInt8]] = [],
        _ emit: (SizedInput, UnsafeBufferPointer<UInt8>) -> Void
    ) throws {
        var number = 0
        var buffered = firstLines[...]
        var readError: (any Error)?
        let maxLineBytes = options.maxTokenBytes + lineSlack
        /// The next block of lines, ended early rather than wait for input; a read error is
        /// thrown after the lines read before it.
        func nextBlock() throws -> LineBlock<SkippedLine>? {
            if let readError { throw readError }
            var block = LineBlock<SkippedLine>()
            while block.hasRoom {
                if block.count > 0, buffered.isEmpty, !stream.isReadyToRead { break }
                let lineNumber = number + 1
                do {
                    if buffered.isEmpty {
                        let lines = try block.appendWholeLines(from: stream, firstNumber: lineNumber, maxBytes: maxLineBytes) {
                            SkippedLine(number: $0, error: $1)
                        }
                        number += lines
                        if lines > 0 { continue }
                    }
                    if let line = buffered.popFirst() {
                        line.withUnsafeBufferPointer { block.appendLine(number: lineNumber, bytes: $0) }
                    } else {
                        let read: Void? = try stream.withNextLine(maxBytes: maxLineBytes) {
                            block.appendLine(number: lineNumber, bytes: $0)
                        }
                        if read == nil { break }
                    }
                } catch let error as InputLineTooLong {
                    block.append(SkippedLine(number: lineNumber, error: error))
                } catch {
                    if block.count == 0 { throw error }
                    readError = error
                    break
                }
                number = lineNumber
            }
            return block.count == 0 ? nil : block
        }
        try OrderedBatch.run(
            jobs: options.jobs, next: nextBlock, isReady: { !buffered.isEmpty || stream.isReadyToRead },
            work: { block in
                var sized = SizedBlock(reservingInputs: block.count, jsonBytes: options.format == .json ? block.byteCount * 4 : 0)
                var scratch = ByteWriter(capacity: options.format == .json ? SizedInput.typicalJSONLineBytes : 16)
                for offset in 0..<block.count {
                    let check = block.withInput(at: offset) { input in
                        switch input {
                        case .line(let number, let bytes): lineCheck(number: number, line: .success(bytes), name: name, file: file, options: options)
                        case .made(let skipped): lineCheck(number: skipped.number, line: .failure(skipped.error), name: name, file: file, options: options)
                        }
                    }
                    sized.append(check, position: position, options: options, scratch: &scratch)
                }
                return sized
            },
            emit: { _, sized in
                sized.forEach(emit)
                return true
            })
    }

    /// A line over the bound, skipped: its number and real length.
    struct SkippedLine: Sendable {
        var number: Int
        var error: InputLineTooLong
    }

    /// Sizes one line of a stream of tokens (`name:LINE`): its bytes, or its real length
    /// when it is over the bound.
    static func lineCheck(
        number: Int, line: Result<UnsafeBufferPointer<UInt8>, InputLineTooLong>, name: String, file: String?, options: Options
    ) -> SizeCheck {
        switch line {
        case .failure(let error):
            return SizeCheck(
                input: "\(name):\(number)", file: file, line: number, byteCount: error.length,
                error: TokenInputs.tooLong(error, maxTokenBytes: options.maxTokenBytes), policy: options.policy)
        case .success(let bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            return tokenCheck(text, input: "\(name):\(number)", file: file, line: number, options: options)
        }
    }

    /// Sizes the file at a path: a claim set (its name ends in `.json`, or its first non-blank
    /// line starts with `{`), or tokens one a line. The file is read once, as a stream, so
    /// `/dev/stdin` and process substitution work; a path that cannot be read is reported as
    /// an `input_unreadable` input. `position` is the path's place among the arguments.
    static func fileChecks(path: String, position: Int, options: Options, _ emit: (SizedInput, UnsafeBufferPointer<UInt8>) -> Void) throws {
        func emitCheck(_ check: SizeCheck) {
            var json = ByteWriter(capacity: SizedInput.typicalJSONLineBytes)
            let sized = options.sized(check, position: position, json: &json)
            json.withBytes { emit(sized, $0) }
        }
        func unreadableCheck(_ error: TokenError) {
            emitCheck(SizeCheck(input: path, file: path, byteCount: 0, error: error, policy: options.policy))
        }
        let stream: FileDescriptorInput
        do {
            stream = try openStream(path)
        } catch let error as TokenError {
            return unreadableCheck(error)
        }
        defer { stream.close() }
        do {
            if path.lowercased().hasSuffix(".json") {
                let bytes = try stream.readAll(maxBytes: maxClaimSetBytes, name: "claim-set file '\(path)'")
                return emitCheck(try claimSetCheck(bytes, name: path, file: path, options: options))
            }
            // A claim set's first non-blank line starts with "{"; a token line never does.
            var firstLines: [[UInt8]] = []
            while let line = try? stream.readLine(maxBytes: options.maxTokenBytes + lineSlack) {
                firstLines.append(line)
                let text = String(decoding: line, as: UTF8.self).trimmingASCIIWhitespace()
                if text.isEmpty { continue }
                if text.hasPrefix("{") {
                    let rest = try stream.readAll(maxBytes: maxClaimSetBytes, name: "claim-set file '\(path)'")
                    let bytes = Array(firstLines.joined(separator: [0x0A])) + [0x0A] + rest
                    return emitCheck(try claimSetCheck(bytes, name: path, file: path, options: options))
                }
                break
            }
            try lineChecks(stream, name: path, file: path, position: position, options: options, firstLines: firstLines, emit)
        } catch let error as TokenError {
            return unreadableCheck(error)
        }
    }

    /// Opens a path for reading as a stream: a regular file, a pipe, `/dev/stdin`; not a directory.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` naming the path and the reason.
    static func openStream(_ path: String) throws -> FileDescriptorInput {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            let hint = errno == ENOENT ? " (it is not a token either)" : ""
            throw TokenError(.inputUnreadable, "cannot read '\(path)': \(reason)\(hint)")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw TokenError(.inputUnreadable, "cannot read '\(path)': it is a directory")
        }
        return FileDescriptorInput(fd: fd, ownsDescriptor: true)
    }

    /// The `--claims` value: `-` (standard input), `@FILE`, a JSON object (starting with `{`),
    /// or a path, as `sign --claims` takes it (plus a bare path).
    static func claimsOptionCheck(_ value: String, _ console: Console, options: Options) throws -> SizeCheck {
        if value == "-" {
            let bytes = try console.stdin.readAll(maxBytes: maxClaimSetBytes)
            return try claimSetCheck(bytes, name: "stdin", file: nil, options: options)
        }
        if value.trimmingASCIIWhitespace().hasPrefix("{") {
            return try claimSetCheck(Array(value.utf8), name: "--claims", file: nil, options: options)
        }
        let path = value.hasPrefix("@") ? String(value.dropFirst()) : value
        let stream: FileDescriptorInput
        do {
            stream = try openStream(path)
        } catch let error as TokenError {
            return SizeCheck(input: path, file: path, byteCount: 0, error: error, policy: options.policy)
        }
        defer { stream.close() }
        do {
            let bytes = try stream.readAll(maxBytes: maxClaimSetBytes, name: "claim-set file '\(path)'")
            return try claimSetCheck(bytes, name: path, file: path, options: options)
        } catch let error as TokenError {
            return SizeCheck(input: path, file: path, byteCount: 0, error: error, policy: options.policy)
        }
    }

    /// Sizes a claim set as `sign` would encode it.
    ///
    /// - Throws: `.malformedJSON` when it is not a JSON object.
    static func claimSetCheck(_ bytes: [UInt8], name: String, file: String?, options: Options) throws -> SizeCheck {
        let claims = try JSONParser.parseObject(bytes, what: "claim set '\(name)'", code: .malformedJSON)
        let report: SizeReport
        if let signer = options.signer {
            var builder = ClaimSetBuilder(base: claims)
            let added = builder.fillDefaults(now: options.now)
            report = SizeReport(
                plannedClaims: builder.claims, header: options.header, signatureByteCount: signer.signatureByteCount,
                addedClaims: added)
        } else {
            report = SizeReport(
                claimSet: claims, algorithm: options.algorithm,
                kid: TokenSigner.defaultKeyID(forAlgorithm: options.algorithm), now: options.now)
        }
        return SizeCheck(input: name, file: file, report: report, policy: options.policy, now: options.now)
    }
}
