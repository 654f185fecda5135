import Foundation

/// Where a command writes text: standard output, standard error, or a buffer in tests.
public protocol TextOutput: AnyObject {
    /// Writes text as UTF-8, unbuffered enough that a streamed batch result appears at once.
    func write(_ text: String)
    /// Whether this stream is a terminal (colour and human layout are chosen from it).
    var isTerminal: Bool { get }
    /// Why a write failed (`No space left on device`), or `nil` while every write succeeded.
    var writeFailure: String? { get }
}

extension TextOutput {
    public var writeFailure: String? { nil }
}

/// Where a command reads its standard input from.
public protocol ByteInput: AnyObject {
    /// Reads one line (without its `\n`, and without a trailing `\r`), or `nil` at end of input.
    ///
    /// - Throws: ``InputLineTooLong`` when a line exceeds `maxBytes` (the rest of that line is
    ///   skipped so the next call continues with the following line), or ``TokenError``
    ///   `.inputUnreadable` on a read error.
    func readLine(maxBytes: Int) throws -> [UInt8]?
    /// Reads everything that is left, up to `maxBytes`.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` when the input exceeds `maxBytes` or cannot be read.
    func readAll(maxBytes: Int) throws -> [UInt8]
    /// Whether this stream is a terminal (then a command never waits on it for tokens).
    var isTerminal: Bool { get }
}

/// The streams and environment a command runs with. The real process uses file
/// descriptors 0, 1 and 2; tests pass buffers.
public final class Console {
    public let stdin: ByteInput
    public let stdout: TextOutput
    public let stderr: TextOutput
    public let environment: [String: String]

    public init(stdin: ByteInput, stdout: TextOutput, stderr: TextOutput, environment: [String: String]) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
    }

    /// The console of this process.
    public static func standard() -> Console {
        Console(
            stdin: FileDescriptorInput(fd: 0), stdout: FileDescriptorOutput(fd: 1),
            stderr: FileDescriptorOutput(fd: 2), environment: ProcessInfo.processInfo.environment)
    }
}
