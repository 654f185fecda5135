import Foundation
import Testing
@testable import TokenCLI

/// Issue 12: the process environment is read one variable at a time (getenv), and as a
/// dictionary only when a library call takes one; both give what the process has.
@Suite("Issue 12 console environment")
struct Issue12ConsoleEnvironmentTests {
    @Test("the process console reads single variables and the whole environment alike")
    func processEnvironment() {
        let console = Console.standard()
        let expected = ProcessInfo.processInfo.environment
        #expect(console.environmentValue("PATH") == expected["PATH"])
        #expect(console.environmentValue("TOKENCTL_SURELY_UNSET_VARIABLE_12") == nil)
        #expect(console.environment["PATH"] == expected["PATH"])
        #expect(console.environment.count == expected.count)
    }

    @Test("a console given an environment reads only from it")
    func givenEnvironment() {
        let console = Console(stdin: BufferInput(), stdout: BufferOutput(), stderr: BufferOutput(), environment: ["NO_COLOR": "1"])
        #expect(console.environmentValue("NO_COLOR") == "1")
        #expect(console.environmentValue("PATH") == nil)
        #expect(console.environment == ["NO_COLOR": "1"])
    }
}
