import TokenKit

/// The tokens a command works on: its arguments, or the lines of standard input (`-`, or no
/// argument with stdin not a terminal). Lines are read one at a time, so a batch of any
/// length streams in bounded memory.
struct TokenInputs {
    /// One input: its token text, or why no token could be read from its line.
    typealias Item = Result<String, TokenError>

    /// The bytes a line may have beyond the token: an `Authorization: Bearer ` prefix or a cookie header.
    static let lineSlack = 8 * 1024

    private var pending: [Item] = []
    private var nextArgument = 0
    private let arguments: [String]
    private let stdin: ByteInput?
    private let maxLineBytes: Int

    /// Whether there is more than one input (one result per line is then printed).
    private(set) var isBatch = false

    /// Prepares the inputs and reads ahead far enough to know whether this is a batch.
    ///
    /// - Throws: ``UsageError`` `missing_argument` when there is no token argument and stdin is a terminal.
    init(_ parsed: ParsedArguments, console: Console, maxTokenBytes: Int) throws {
        let positionals = parsed.positionals
        maxLineBytes = maxTokenBytes + Self.lineSlack
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
    mutating func next() throws -> Item? {
        if !pending.isEmpty { return pending.removeFirst() }
        return try readNext()
    }

    private mutating func readNext() throws -> Item? {
        if let stdin {
            while true {
                let line: [UInt8]
                do {
                    guard let read = try stdin.readLine(maxBytes: maxLineBytes) else { return nil }
                    line = read
                } catch let error as TokenError where error.code == .malformed {
                    return .failure(error)
                }
                guard let text = String(validating: line, as: UTF8.self) else {
                    return .failure(.malformed("input line is not valid UTF-8"))
                }
                if let token = TokenExtractor.token(fromLine: text) { return .success(token) }
            }
        }
        guard nextArgument < arguments.count else { return nil }
        defer { nextArgument += 1 }
        let argument = arguments[nextArgument]
        guard let token = TokenExtractor.token(fromLine: argument) else { return .failure(.malformed("empty token argument")) }
        return .success(token)
    }
}
