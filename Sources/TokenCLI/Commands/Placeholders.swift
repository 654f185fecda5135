// Placeholder so that the command table compiles before inspect-size lands.

/// `tokenctl inspect-size` (placeholder).
enum InspectSizeCommand {
    /// Not implemented yet: always throws.
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        throw UsageError("not_implemented", "this command is not implemented yet")
    }
}
