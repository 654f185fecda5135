import TokenKit

extension SizeCheck {
    /// `inspect-size --format github`: for each input a plain summary line (shown in the
    /// job log), then one GitHub Actions workflow command per finding, so the findings appear
    /// on the pull request: `::error file=claims/admin.json,title=...::message`.
    ///
    /// `error` findings become `::error`, `warning` `::warning`, `info` `::notice`. The
    /// `file` (and `line`) properties are set when the input came from a file; otherwise
    /// the input's name starts the message. Every field of every line is escaped as the
    /// workflow command rules say (``escapeData(_:)``, ``escapeProperty(_:)``), the input's
    /// name on the summary line too, so a file name cannot start a command of its own.
    static func github(_ checks: [SizeCheck]) -> String {
        var out = ""
        for check in checks {
            if let error = check.error, error.code != .malformed {
                out += "tokenctl inspect-size: \(escapeData(check.input)): error[\(error.code.id)]\n"
            } else {
                out += "tokenctl inspect-size: \(escapeData(check.input)): \(check.bytesInContext) bytes, "
                    + "\(check.percentOfBudget)% of \(escapeData(check.budget.description))\n"
            }
            for finding in check.findings {
                out += check.workflowCommand(finding) + "\n"
            }
        }
        return out
    }

    /// One workflow command for one finding of this input.
    func workflowCommand(_ finding: Finding) -> String {
        let command: String
        switch finding.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .info: command = "notice"
        }
        var properties: [(String, String)] = []
        if let file {
            properties.append(("file", file))
            if let line { properties.append(("line", String(line))) }
        }
        // An input that could not be read is titled by its error code, not as a malformed token.
        let unreadable = error.flatMap { $0.code == .malformed ? nil : $0.code.id }
        properties.append(("title", "tokenctl \(unreadable ?? finding.rule.id)"))
        let prefix = file == nil ? "\(input): " : ""
        let claim = finding.claim.map { "\($0): " } ?? ""
        let bytes = finding.claim != nil && finding.bytes > 0 ? " (\(finding.bytes) bytes)" : ""
        let message = "\(prefix)\(claim)\(finding.message)\(bytes). Fix: \(finding.fix)"
        let rendered = properties.map { "\($0.0)=\(SizeCheck.escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(command) \(rendered)::\(SizeCheck.escapeData(message))"
    }

    /// Escapes a workflow command's message: `%`, CR and LF (as the Actions toolkit does).
    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a workflow command's property value: as ``escapeData(_:)`` plus `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        var out = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
