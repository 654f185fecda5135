import TokenKit

/// `inspect-size --scan`: the size of the tokens real traffic carries. Finds every JWT in
/// files or standard input (as `decode --scan` does) and reports the distribution of their
/// sizes (``ScanSizeReport``) as text, one JSON document, or GitHub annotations.
///
/// Exit status 1 when a token is over `--budget` (measured in its header or cookie with
/// `--context`); candidates that are not JWTs are listed but not sized and do not fail the
/// run; 2 when nothing was found or an input cannot be read.
enum ScanSizeCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        if !arguments.values("claims").isEmpty {
            throw TokenError.invalidValue("--claims sizes a planned claim set; it cannot be combined with --scan")
        }
        let options = try InspectSizeCommand.Options(arguments, console)
        let showTokens = arguments.has("show-tokens")
        let collector = try ScanInputs.collect(
            arguments, console, command: "inspect-size", maxTokenBytes: options.maxTokenBytes)
        guard collector.occurrences > 0 else { throw ScanCommand.nothingFound() }
        let measured = arguments.value("context") != nil || arguments.value("cookie-name") != nil
        var report = ScanSizeReport(budget: options.policy.budget, context: measured ? options.policy.context : nil)
        try collector.forEachFinding { report.add($0) }
        switch options.format {
        case .text: console.stdout.write(report.text(showTokens: showTokens))
        case .json: console.stdout.write(report.json(showTokens: showTokens).serialized + "\n")
        case .github: console.stdout.write(report.github(showTokens: showTokens))
        }
        return report.overBudget > 0 ? .rejected : .success
    }
}
