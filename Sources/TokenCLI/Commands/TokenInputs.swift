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

    /// An input read ahead (to know whether this is a batch): a line of standard input as
    /// bytes, its token not yet looked for, or an input already made.
    private enum Pending {
        case line(number: Int, bytes: [UInt8])
        case made(Numbered)
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
            let read = try readFromSource(line: { Pending.line(number: $0, bytes: Array($1)) }, made: { Pending.made($0) })
            if let read { pending.append(read) }
        }
        if pending.isEmpty {
            throw UsageError("missing_argument", "no token on standard input")
        }
        isBatch = pending.count > 1
    }

    /// An input read by ``next(offering:)``: what the offer made of a line, or the input.
    enum Read<Handled> {
        case handled(Handled)
        case input(Numbered)
    }

    /// The next input, or `nil` when all have been read. A line of standard input is first
    /// offered to `handle` as read, its number and bytes lent in place; when `handle` returns
    /// a result the line is done, else its token is looked for as usual.
    ///
    /// - Throws: ``TokenError`` `input_unreadable` when standard input fails.
    mutating func next<Handled>(
        offering handle: (_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Handled?
    ) throws -> Read<Handled>? {
        try readNext(
            line: { number, bytes in
                handle(number, bytes).map(Read.handled) ?? .input(Numbered(line: number, item: Self.item(fromLine: bytes)))
            },
            made: { .input($0) })
    }

    /// Reads the next inputs into `block` as read (a line's token is looked for later, by
    /// ``InputBlock/numbered(_:)``): the whole lines standard input has buffered, as many as
    /// the block takes, else one input; `false` when all have been read.
    ///
    /// - Throws: ``TokenError`` `input_unreadable` when standard input fails.
    mutating func appendNext(to block: inout LineBlock<Numbered>) throws -> Bool {
        if pending.isEmpty, let stdin {
            let lines = try block.appendWholeLines(from: stdin, firstNumber: lineNumber + 1, maxBytes: maxLineBytes) {
                Numbered(line: $0, item: .failure(Self.tooLong($1, maxTokenBytes: maxTokenBytes)))
            }
            lineNumber += lines
            if lines > 0 { return true }
        }
        let read: Void? = try readNext(line: { block.appendLine(number: $0, bytes: $1) }, made: { block.append($0) })
        return read != nil
    }

    /// Whether ``next(offering:)`` can return without waiting for standard input to arrive.
    var isReadyForMore: Bool { !pending.isEmpty || (stdin?.isReadyToRead ?? true) }

    /// The next input: one read ahead first, then ``readFromSource(line:made:)``.
    private mutating func readNext<Result>(
        line: (_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Result, made: (Numbered) -> Result
    ) throws -> Result? {
        guard !pending.isEmpty else { return try readFromSource(line: line, made: made) }
        switch pending.removeFirst() {
        case .line(let number, let bytes): return bytes.withUnsafeBufferPointer { line(number, $0) }
        case .made(let numbered): return made(numbered)
        }
    }

    /// Reads the next input from standard input or the arguments: a line of standard input
    /// goes to `line` with its number, its bytes lent in place; an input already made (an
    /// argument, an over-long line) goes to `made`. `nil` when all have been read.
    private mutating func readFromSource<Result>(
        line: (_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Result, made: (Numbered) -> Result
    ) throws -> Result? {
        if let stdin {
            let number = lineNumber + 1
            do {
                guard let result = try stdin.withNextLine(maxBytes: maxLineBytes, { line(number, $0) }) else { return nil }
                lineNumber = number
                return result
            } catch let error as InputLineTooLong {
                lineNumber = number
                return made(Numbered(line: number, item: .failure(Self.tooLong(error, maxTokenBytes: maxTokenBytes))))
            }
        }
        guard nextArgument < arguments.count else { return nil }
        defer { nextArgument += 1 }
        let argument = arguments[nextArgument]
        let position = nextArgument + 1
        if case .path(let path) = InputArgument.classify(argument), FileAccess.exists(path) {
            return made(Numbered(line: position, item: .failure(.malformed(
                "argument \(position) names a file, not a token: to read the tokens in it, one a line, "
                    + "pass '- < \(path)'"))))
        }
        guard let token = TokenExtractor.token(fromLine: argument) else {
            return made(Numbered(line: position, item: .failure(Self.noToken(argument))))
        }
        return made(Numbered(line: position, item: .success(token)))
    }

    /// The token in a line of standard input, or why there is none.
    static func item(fromLine line: UnsafeBufferPointer<UInt8>) -> Item {
        if let token = bareToken(fromLine: line) { return .success(token) }
        guard let text = String(validating: line, as: UTF8.self) else {
            return .failure(.malformed("input line is not valid UTF-8"))
        }
        guard let token = TokenExtractor.token(fromLine: text) else { return .failure(noToken(text)) }
        return .success(token)
    }

    /// The token of the usual line, a bare token (base64url and dots, nothing around it),
    /// checked once on the bytes and copied as ASCII; `nil` for any other line.
    static func bareToken(fromLine line: UnsafeBufferPointer<UInt8>) -> String? {
        TokenExtractor.isBareToken(line) ? String(decoding: line, as: UTF8.self) : nil
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
