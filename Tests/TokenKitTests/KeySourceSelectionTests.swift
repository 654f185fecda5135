import Foundation
import Testing
@testable import TokenKit

/// Key-source decisions a Swift caller needs as much as the CLI: which key of a file signs,
/// and the default keyset (found, or created on first use).
@Suite("Key source selection and the default keyset")
struct KeySourceSelectionTests {
    @Test("a single key is taken as it is, with or without a kid asked for")
    func singleKey() throws {
        let key = try Key.generate(for: .es256)
        #expect(try KeySource.signingKey(among: [key], kid: nil, source: "k.pem").thumbprint() == key.thumbprint())
        #expect(try KeySource.signingKey(among: [key], kid: "any", source: "k.pem").thumbprint() == key.thumbprint())
    }

    @Test("a kid picks a key by its kid, or a kid-less key by its thumbprint")
    func pickByKid() throws {
        var named = try Key.generate(for: .es256)
        named.kid = "svc-1"
        let unnamed = try Key.generate(for: .es256)
        let keys = [named, unnamed]
        #expect(try KeySource.signingKey(among: keys, kid: "svc-1", source: "s.jwks").kid == "svc-1")
        #expect(try KeySource.signingKey(among: keys, kid: unnamed.thumbprint(), source: "s.jwks").thumbprint() == unnamed.thumbprint())
        // A single key that has a kid must match it.
        #expect(throws: TokenError(.keyUnsuitable, "")) { try KeySource.signingKey(among: [named], kid: "other", source: "s.jwks") }
    }

    @Test("several keys and no kid: key_unsuitable with the name-a-kid remedy, in TokenKit's own words")
    func severalKeys() throws {
        let keys = [try Key.generate(for: .es256), try Key.generate(for: .edDSA)]
        do {
            _ = try KeySource.signingKey(among: keys, kid: nil, source: "two.jwks")
            Issue.record("no error")
        } catch let error as TokenError {
            #expect(error.code == .keyUnsuitable)
            #expect(error.remedy == .nameKeyID)
            #expect(error.reason.contains("'two.jwks' holds 2 keys"))
            #expect(!error.reason.contains("--"))
        }
        do {
            _ = try KeySource.signingKey(among: keys, kid: "nope", source: "two.jwks")
            Issue.record("no error")
        } catch let error as TokenError {
            #expect(error.code == .keyUnsuitable)
            #expect(error.reason.contains("no key with kid \"nope\""))
        }
    }

    @Test("the default keyset is created on first use, then loaded; none without a location")
    func defaultKeyset() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tokenkit-default-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let environment = ["HOME": base.path]
        #expect(try Keyset.existingDefault(environment: environment) == nil)
        let first = try Keyset.loadOrCreateDefault(environment: environment, now: 1_800_000_000)
        #expect(first.created)
        #expect(first.keyset.directory == base.path + "/.config/tokenctl/keyset")
        let key = try first.keyset.signingKey()
        #expect(key.algorithm == Keyset.defaultAlgorithm)
        let second = try Keyset.loadOrCreateDefault(environment: environment, now: 1_800_000_100)
        #expect(!second.created)
        #expect(try second.keyset.signingKey().kid == key.kid)
        #expect(try Keyset.existingDefault(environment: environment)?.signingKey().kid == key.kid)

        do {
            _ = try Keyset.loadOrCreateDefault(environment: [:], now: 1_800_000_000)
            Issue.record("no error")
        } catch let error as TokenError {
            #expect(error.code == .keyUnsuitable)
            #expect(error.remedy == .giveKey)
        }
        #expect(try Keyset.existingDefault(environment: [:]) == nil)
    }
}
