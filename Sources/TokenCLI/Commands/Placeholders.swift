// Placeholders so that the command table compiles before the commands exist.
// The lead replaces this file with the real implementations.

/// `tokenctl sign` (placeholder).
enum SignCommand {
    /// Not implemented yet: always throws.
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        throw UsageError("not_implemented", "this command is not implemented yet")
    }
}

/// `tokenctl verify` (placeholder).
enum VerifyCommand {
    /// Not implemented yet: always throws.
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        throw UsageError("not_implemented", "this command is not implemented yet")
    }
}

/// `tokenctl decode` (placeholder).
enum DecodeCommand {
    /// Not implemented yet: always throws.
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        throw UsageError("not_implemented", "this command is not implemented yet")
    }
}

/// `tokenctl inspect-size` (placeholder).
enum InspectSizeCommand {
    /// Not implemented yet: always throws.
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        throw UsageError("not_implemented", "this command is not implemented yet")
    }
}
