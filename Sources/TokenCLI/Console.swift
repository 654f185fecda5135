#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// Where a command writes text: standard output, standard error, or a buffer in tests.
public protocol TextOutput: AnyObject {
    /// Writes text as UTF-8. Standard output may hold results in a buffer, but never while
    /// the process waits for input, so a streamed batch result appears as soon as its line is read.
    func write(_ text: String)
    /// Writes the UTF-8 bytes `render` appends to the buffer it is given (see the default).
    func write(rendering render: (inout ByteWriter) -> Void)
    /// Writes bytes already rendered (valid UTF-8); a stream may write a large run without copying it.
    func write(bytes: UnsafeBufferPointer<UInt8>)
    /// Writes out whatever a buffered stream holds.
    func flush()
    /// Whether this stream is a terminal (colour and human layout are chosen from it).
    var isTerminal: Bool { get }
    /// Why a write failed (`No space left on device`), or `nil` while every write succeeded.
    var writeFailure: String? { get }
    /// Whether a write failed: ``writeFailure`` tested without taking a copy of the reason,
    /// as a batch does after every token.
    var hasWriteFailure: Bool { get }
}

extension TextOutput {
    public var writeFailure: String? { nil }
    public var hasWriteFailure: Bool { writeFailure != nil }
    public func flush() {}

    /// Writes the UTF-8 bytes `render` appends to the buffer it is given (valid UTF-8, as
    /// ``write(_:)`` would write): a buffered stream lends its own buffer, so a result is
    /// rendered straight into it without an intermediate string.
    public func write(rendering render: (inout ByteWriter) -> Void) {
        var bytes = ByteWriter()
        render(&bytes)
        write(bytes.string)
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        write { $0.append(contentsOf: bytes) }
    }
}

/// Where a command reads its standard input from.
public protocol ByteInput: AnyObject {
    /// Reads one line (without its `\n`, and without a trailing `\r`) and lends its bytes to
    /// `body` in place, without copying them; `nil` at end of input. The bytes are valid only
    /// during `body`, which must not read from this input.
    ///
    /// - Throws: ``InputLineTooLong`` when a line exceeds `maxBytes` (the rest of that line is
    ///   skipped so the next call continues with the following line), ``TokenError``
    ///   `.inputUnreadable` on a read error, or what `body` throws.
    func withNextLine<Result>(maxBytes: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result?
    /// Appends whole lines (each with its `\n`) to `bytes`: those already read into this
    /// input's buffer, as many as fit in about `room` bytes (at least one), or else the part
    /// of a line buffered and one read of up to `room` bytes after it, up to its last line
    /// feed. Returns how many bytes were appended; 0 when no whole line came (the end of input
    /// without a line break, a line longer than the read), for ``withNextLine(maxBytes:_:)``
    /// to read. Lets `--jobs` read a block of lines at once, straight into the block.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` on a read error (nothing is appended then,
    ///   and the part of a line buffered stays buffered).
    func appendWholeLines(to bytes: inout [UInt8], room: Int) throws -> Int
    /// Reads everything that is left, up to `maxBytes`.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` when the input exceeds `maxBytes` or cannot be read.
    func readAll(maxBytes: Int) throws -> [UInt8]
    /// Whether this stream is a terminal (then a command never waits on it for tokens).
    var isTerminal: Bool { get }
    /// Whether a read can start without waiting for input to arrive (bytes are buffered, the
    /// end is reached, or the descriptor is readable). `--jobs` reads ahead only then.
    var isReadyToRead: Bool { get }
}

extension ByteInput {
    public var isReadyToRead: Bool { true }

    /// Reads one line as a copy of its bytes (see ``withNextLine(maxBytes:_:)``), or `nil` at end of input.
    public func readLine(maxBytes: Int) throws -> [UInt8]? {
        try withNextLine(maxBytes: maxBytes) { Array($0) }
    }
}

/// The streams and environment a command runs with. The real process uses file
/// descriptors 0, 1 and 2; tests pass buffers.
public final class Console {
    public let stdin: ByteInput
    public let stdout: TextOutput
    public let stderr: TextOutput
    /// The environment given to ``init(stdin:stdout:stderr:environment:)``, or `nil` for the
    /// process's own, which is read on demand.
    private let givenEnvironment: [String: String]?
    /// The process environment as a dictionary, built on first use only: most runs read a
    /// variable or two (``environmentValue(_:)``), not the whole environment.
    private lazy var processEnvironment: [String: String] = POSIX.environment()

    /// The whole environment as NAME -> value (for the library calls that take one).
    public var environment: [String: String] { givenEnvironment ?? processEnvironment }

    public init(stdin: ByteInput, stdout: TextOutput, stderr: TextOutput, environment: [String: String]) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.givenEnvironment = environment
    }

    /// A console over the process's own environment, read on demand.
    init(stdin: ByteInput, stdout: TextOutput, stderr: TextOutput) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.givenEnvironment = nil
    }

    /// One environment variable's value, or `nil` when it is not set; for the process's own
    /// environment a `getenv`, without building the dictionary.
    public func environmentValue(_ name: String) -> String? {
        if let givenEnvironment { return givenEnvironment[name] }
        return POSIX.variable(name)
    }

    /// The console of this process.
    ///
    /// Standard output is buffered when it is not a terminal; it is flushed before the process
    /// blocks reading standard input, before anything is written to standard error (so the two
    /// keep their order on a shared terminal or file), and at the end of the command.
    public static func standard() -> Console {
        let stdout = FileDescriptorOutput(fd: 1, buffered: true)
        let stdin = FileDescriptorInput(fd: 0)
        stdin.beforeRead = { stdout.flush() }
        return Console(
            stdin: stdin, stdout: stdout,
            stderr: FileDescriptorOutput(fd: 2, flushingFirst: stdout))
    }
}
