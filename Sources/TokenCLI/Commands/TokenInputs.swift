import TokenKit

/// The tokens a command works on: its arguments, or the lines of standard input (`-`, or no
/// argument with stdin not a terminal). Lines are read one at a time, so a batch of any
/// length streams in bounded memory.
///
/// Every input line is one input, so a batch has exactly one result per line: a line that
/// holds no token (blank, `Cookie: junk`) is an input that failed as `malformed`.
struct TokenInputs {
    /// One input: its token text, or why no token could be read from its line.
    typealias Item = Result<String, TokenError>

    /// One input with its place: the line of standard input, or the argument's position,
    /// counting from 1.
    struct Numbered {
        var line: Int
        var item: Item
    }

    /// An input as read, before its token is looked for: a line of standard input as bytes,
    /// or an input already made (an argument, an over-long line). ``numbered`` finds the
    /// token; it touches nothing shared, so `--jobs` threads do it and the reading thread
    /// only splits lines.
    struct Pending: Sendable {
        fileprivate enum Content: Sendable {
            case line(number: Int, bytes: [UInt8])
            case made(Numbered)
        }

        fileprivate let content: Content

        /// The input: the token found in its line, or why there is none.
        var numbered: Numbered {
            switch content {
            case .made(let numbered): return numbered
            case .line(let number, let bytes): return Numbered(line: number, item: TokenInputs.item(fromLine: bytes[...]))
            }
        }

        /// A line of standard input as read, its token not yet looked for; `nil` for an input
        /// already made.
        var line: (number: Int, bytes: [UInt8])? {
            if case .line(let number, let bytes) = content { return (number, bytes) }
            return nil
        }
    }

    /// The bytes a line may have beyond the token: an `Authorization: Bearer ` prefix or a cookie header.
    static let lineSlack = 8 * 1024

    private var pending: [Pending] = []
    private var nextArgument = 0
    private var lineNumber = 0
    private let arguments: [String]
    private let stdin: ByteInput?
    private let maxTokenBytes: Int
    private var maxLineBytes: Int { maxTokenBytes + Self.lineSlack }

    /// Whether there is more than one input (one result per line is then printed).
    private(set) var isBatch = false

    /// Prepares the inputs and reads ahead far enough to know whether this is a batch.
    ///
    /// - Throws: ``UsageError`` `missing_argument` when there is no token argument and stdin is a terminal.
    init(_ parsed: ParsedArguments, console: Console, maxTokenBytes: Int) throws {
        let positionals = parsed.positionals
        self.maxTokenBytes = maxTokenBytes
        if positionals.isEmpty || positionals == ["-"] {
            if positionals.isEmpty, console.stdin.isTerminal {
                throw UsageError("missing_argument", "no token given: pass it as an argument or on standard input")
            }
            arguments = []
            stdin = console.stdin
        } else {
            if positionals.contains("-") {
                throw UsageError("invalid_value", "'-' (standard input) cannot be mixed with token arguments")
            }
            arguments = positionals
            stdin = nil
        }
        for _ in 0..<2 {
            if let item = try readNext() { pending.append(item) }
        }
        if pending.isEmpty {
            throw UsageError("missing_argument", "no token on standard input")
        }
        isBatch = pending.count > 1
    }

    /// The next input, or `nil` when all have been read.
    ///
    /// - Throws: ``TokenError`` `input_unreadable` when standard input fails.
    mutating func next() throws -> Numbered? {
        try nextPending()?.numbered
    }

    /// The next input as read, its token not yet looked for, or `nil` when all have been read.
    ///
    /// - Throws: ``TokenError`` `input_unreadable` when standard input fails.
    mutating func nextPending() throws -> Pending? {
        if !pending.isEmpty { return pending.removeFirst() }
        return try readNext()
    }

    /// Whether ``next()`` can return without waiting for standard input to arrive.
    var isReadyForMore: Bool { !pending.isEmpty || (stdin?.isReadyToRead ?? true) }

    private mutating func readNext() throws -> Pending? {
        if let stdin {
            do {
                guard let line = try stdin.readLine(maxBytes: maxLineBytes) else { return nil }
                lineNumber += 1
                return Pending(content: .line(number: lineNumber, bytes: line))
            } catch let error as InputLineTooLong {
                lineNumber += 1
                return made(lineNumber, .failure(Self.tooLong(error, maxTokenBytes: maxTokenBytes)))
            }
        }
        guard nextArgument < arguments.count else { return nil }
        defer { nextArgument += 1 }
        let argument = arguments[nextArgument]
        let position = nextArgument + 1
        if case .path(let path) = InputArgument.classify(argument), FileAccess.exists(path) {
            return made(position, .failure(.malformed(
                "argument \(position) names a file, not a token: to read the tokens in it, one a line, "
                    + "pass '- < \(path)'")))
        }
        guard let token = TokenExtractor.token(fromLine: argument) else {
            return made(position, .failure(Self.noToken(argument)))
        }
        return made(position, .success(token))
    }

    private func made(_ line: Int, _ item: Item) -> Pending {
        Pending(content: .made(Numbered(line: line, item: item)))
    }

    /// The token in a line of standard input, or why there is none.
    static func item(fromLine line: ArraySlice<UInt8>) -> Item {
        // The usual line, a bare token: checked once, on the bytes, and copied as ASCII.
        if line.withUnsafeBufferPointer(TokenExtractor.isBareToken) {
            return .success(line.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
        }
        guard let text = String(validating: line, as: UTF8.self) else {
            return .failure(.malformed("input line is not valid UTF-8"))
        }
        guard let token = TokenExtractor.token(fromLine: text) else { return .failure(noToken(text)) }
        return .success(token)
    }

    /// Why a line holds no token.
    private static func noToken(_ line: String) -> TokenError {
        if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            return .malformed(line.isEmpty ? "empty line: no token" : "blank line: no token")
        }
        return .malformed("no token on this line: expected a token, 'Bearer <token>', or an Authorization, Cookie or Set-Cookie header holding one")
    }

    /// The error for a line over the bound, with its real length and the option that raises it.
    static func tooLong(_ error: InputLineTooLong, maxTokenBytes: Int) -> TokenError {
        .malformed(
            "input line of \(error.length) bytes is over the \(error.limit)-byte limit for a line (a token of at most "
                + "\(maxTokenBytes) bytes and \(lineSlack) bytes around it); raise it with --max-token-bytes")
    }
}
