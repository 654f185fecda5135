import TokenKit

extension InspectSizeCommand {
    /// The most inputs (tokens, lines, claim sets) one run sizes: every result is kept for
    /// the summary table, so the bound keeps memory and time flat on a huge or binary input.
    static let maxInputs = 4_096

    /// Refuses the input that would be number `count`, past ``maxInputs``.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` (exit 2).
    static func checkInputCount(_ count: Int) throws {
        guard count > maxInputs else { return }
        throw TokenError(.inputUnreadable,
            "more than \(maxInputs) inputs: inspect-size keeps every result for its summary; "
            + "split the input, or size the tokens of a log with --scan")
    }
}
