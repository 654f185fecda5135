import Testing
@testable import TokenKit

@Suite("Token extraction from pasted lines")
struct TokenExtractorTests {
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"

    @Test("finds the token", arguments: [
        jwt, "  \(jwt)  ", "\"\(jwt)\"", "'\(jwt)'", "Bearer \(jwt)", "bearer   \(jwt)",
        "Authorization: Bearer \(jwt)", "authorization:bearer \(jwt)", "AUTHORIZATION:   Bearer \(jwt)\r",
        "Cookie: theme=dark; session=\(jwt); lang=en", "Cookie: session=\(jwt)",
        "Set-Cookie: session=\(jwt); Path=/; HttpOnly", "Set-Cookie: session=\"\(jwt)\"; Secure",
        "Authorization: DPoP \(jwt)", "DPoP \(jwt)", "authorization: JWT \(jwt)",
    ])
    func extracts(line: String) {
        #expect(TokenExtractor.token(fromLine: line) == Self.jwt)
    }

    @Test("blank lines have no token")
    func blank() {
        #expect(TokenExtractor.token(fromLine: "") == nil)
        #expect(TokenExtractor.token(fromLine: "  \t ") == nil)
    }

    @Test("a line of base64url and dots alone is bare on its bytes, and is then its own token", arguments: [
        jwt, "a.b.c", "abc", "-_.", "tkn_abc",
    ])
    func bareBytes(line: String) {
        #expect(Array(line.utf8).withUnsafeBufferPointer(TokenExtractor.isBareToken))
        #expect(TokenExtractor.token(fromLine: line) == line)
    }

    @Test("a line with anything else is not bare on its bytes", arguments: [
        "", " \(jwt)", "\(jwt) ", "Bearer \(jwt)", "\"\(jwt)\"", "\(jwt)\r", "a+b.c", "a=b", "caf\u{E9}.a.b",
    ])
    func notBareBytes(line: String) {
        #expect(!Array(line.utf8).withUnsafeBufferPointer(TokenExtractor.isBareToken))
    }
}
