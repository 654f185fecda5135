import Testing
import TokenKit
@testable import TokenCLI

/// The command table's choice lists come from TokenKit's and the commands' own types, so a
/// new algorithm, encoding, format or named budget reaches parsing, help, man page and
/// completions at once.
@Suite("Command table choices")
struct CommandTableChoicesTests {
    let table = CommandTable.tokenctl

    func option(_ command: String, _ long: String) throws -> OptionSpec {
        let spec = try #require(table.command(named: command), "no command \(command)")
        return try #require(table.options(of: spec).first { $0.long == long }, "\(command) has no --\(long)")
    }

    @Test("sign, inspect-size and rotate-keys offer every algorithm a signer writes; verify every algorithm")
    func algorithms() throws {
        let signing = Algorithm.all.filter { $0.signingName == $0 }.map(\.rawValue)
        #expect(signing.contains("EdDSA") && !signing.contains("Ed25519") && !signing.contains("Ed448"))
        for command in ["sign", "inspect-size", "rotate-keys"] {
            #expect(try option(command, "alg").choices == signing, "\(command) --alg")
        }
        #expect(try option("verify", "alg").choices == Algorithm.all.map(\.rawValue))
        for name in try option("verify", "alg").choices {
            #expect(Algorithm(rawValue: name) != nil, "\(name)")
        }
    }

    @Test("--secret-encoding offers exactly the SecretEncoding cases")
    func encodings() throws {
        for command in ["sign", "verify"] {
            #expect(try option(command, "secret-encoding").choices == SecretEncoding.allCases.map(\.rawValue))
        }
    }

    @Test("inspect-size --format and --fail-on offer exactly the format and level cases")
    func formats() throws {
        #expect(try option("inspect-size", "format").choices == InspectSizeCommand.Format.allCases.map(\.rawValue))
        let levels = try option("inspect-size", "fail-on").choices
        #expect(levels == InspectSizeCommand.failOnLevels.map(\.rawValue))
        #expect(levels.compactMap(Finding.Severity.init(rawValue:)) == [.error, .warning])
    }

    @Test("--budget accepts any value and completes the named budgets, each of which parses")
    func budgets() throws {
        let budget = try option("inspect-size", "budget")
        #expect(budget.choices.isEmpty, "a byte count is a budget too")
        let names = SizeBudget.known.compactMap(\.name)
        #expect(names.count == SizeBudget.known.count && !names.isEmpty)
        #expect(budget.completion == .words(names))
        for name in names {
            #expect(try SizeBudget.parse(name).name == name)
        }
        for script in [Completions.bash(table), Completions.zsh(table), Completions.fish(table)] {
            #expect(script.contains(names.joined(separator: " ")))
        }
    }
}
