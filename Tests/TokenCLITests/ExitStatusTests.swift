import Testing
import TokenKit
@testable import TokenCLI

@Suite("Exit status")
struct ExitStatusTests {
    @Test("every error code maps to exit 1 or 2")
    func everyCodeMaps() {
        for code in TokenError.Code.all {
            let status = ExitStatus(for: code)
            #expect(status == (code.isRejection ? .rejected : .usage))
        }
        #expect(ExitStatus(for: .signatureInvalid) == .rejected)
        #expect(ExitStatus(for: .malformedKey) == .usage)
    }
}
