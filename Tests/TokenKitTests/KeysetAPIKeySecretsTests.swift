import Foundation
import Testing
@testable import TokenKit

/// A keyset as the store of API-key secrets (issue 9): the record format, minting and
/// verifying through ``APIKeySecrets``, and rotation with the signing keys.
@Suite("Keyset API-key secrets")
struct KeysetAPIKeySecretsTests {
    static let t0: Int64 = 1_800_000_000
    static let day: Int64 = 86_400

    /// A keyset with an active and a next signing key and API-key secrets in `states`.
    func keyset(secrets states: [Keyset.State]) throws -> Keyset {
        var entries = [
            try Keyset.newEntry(algorithm: .es256, state: .active, now: Self.t0),
            try Keyset.newEntry(algorithm: .es256, state: .next, now: Self.t0),
        ]
        for state in states {
            entries.append(try Keyset.newAPIKeySecretEntry(state: state, now: Self.t0, avoiding: entries.map(\.kid)))
        }
        return Keyset(directory: "/ks", entries: entries)
    }

    func reparse(_ keyset: Keyset) throws -> Keyset {
        try Keyset.parse(try keyset.privateFileBytes(), directory: "/ks", path: "/ks/keys.json", isPrivate: true)
    }

    func secrets(_ keyset: Keyset, _ state: Keyset.State) -> [String] {
        keyset.entries(of: .apiKeySecret).filter { $0.state == state }.map(\.kid)
    }

    @Test("a secret is an oct record of kind api_key_secret whose kid is its id; it round-trips and is never published")
    func recordFormat() throws {
        let original = try keyset(secrets: [.active, .next])
        let text = String(decoding: try original.privateFileBytes(), as: UTF8.self)
        #expect(text.contains("\"kind\": \"api_key_secret\""))
        let parsed = try reparse(original)
        let secrets = parsed.entries(of: .apiKeySecret)
        #expect(secrets.count == 2 && parsed.otherRecords.isEmpty)
        for secret in secrets {
            #expect(secret.kid.utf8.count == APIKey.secretIDLength && Base62.isBase62(secret.kid.utf8))
            #expect(secret.key.type == .oct(byteCount: 32))
            let k = try #require(try secret.key.privateJWK()["k"]?.stringValue)
            #expect(!Keyset.publicFileText(parsed.entries).contains(k))
        }
        #expect(!Keyset.publicFileText(parsed.entries).contains(secrets[0].kid))
        #expect(parsed.verificationKeys.count == 2, "secrets never verify tokens")
        #expect(try parsed.signingKey().kid == original.entries[0].kid)
    }

    @Test("a secret record that is not an oct key with a base62 id is refused")
    func badRecords() throws {
        let text = String(decoding: try keyset(secrets: [.active]).privateFileBytes(), as: UTF8.self)
        let parsed = try Keyset.parse(Array(text.utf8), directory: "/ks", path: "p", isPrivate: true)
        let realID = try #require(parsed.entries(of: .apiKeySecret).first?.kid)
        for bad in ["bad-id!!", "short", realID + "x"] {
            let changed = text.replacingOccurrences(of: "\"kid\": \"\(realID)\"", with: "\"kid\": \"\(bad)\"")
            #expect(changed != text)
            #expect(throws: TokenError(.malformedKey, "")) {
                try Keyset.parse(Array(changed.utf8), directory: "/ks", path: "p", isPrivate: true)
            }
        }
    }

    @Test("the active secret mints; next, active and retiring secrets verify; a removed one does not")
    func mintAndVerify() throws {
        var keyset = try keyset(secrets: [.active, .next])
        let keys = try APIKey.mintBound(prefix: "acme", secrets: keyset, count: 3)
        let activeID = secrets(keyset, .active)[0]
        #expect(keys.allSatisfy { $0.secretID == activeID && $0.kind == .keyset })
        let verifier = APIKeyVerifier(secrets: keyset)
        for key in keys { #expect(try verifier.verify(key.text).checks == [.checksum, .mac]) }

        let policy = RotationPolicy(retireAfter: 2 * Self.day)
        keyset = try KeysetRotation.plan(directory: "/ks", before: keyset, policy: policy, now: Self.t0 + Self.day, dryRun: true).keyset
        #expect(secrets(keyset, .retiring) == [activeID])
        #expect(try APIKeyVerifier(secrets: keyset).verify(keys[0].text).checks == [.checksum, .mac])
        #expect(try keyset.activeAPIKeySecret().id != activeID)

        keyset = try KeysetRotation.plan(directory: "/ks", before: keyset, policy: policy, now: Self.t0 + 3 * Self.day, dryRun: true).keyset
        #expect(keyset.apiKeySecret(id: activeID) == nil)
        #expect(throws: TokenError(.keyNotFound, "")) { try APIKeyVerifier(secrets: keyset).verify(keys[0].text) }
    }

    @Test("a rotation moves secrets next → active → retiring with the signing keys and adds a next secret")
    func rotation() throws {
        let before = try keyset(secrets: [.active, .next])
        let oldActive = secrets(before, .active)
        let oldNext = secrets(before, .next)
        let policy = RotationPolicy(rotateAfter: 30 * Self.day, retireAfter: 2 * Self.day)
        let idle = try KeysetRotation.plan(directory: "/ks", before: before, policy: policy, now: Self.t0 + Self.day, dryRun: true)
        #expect(idle.action == .unchanged && secrets(idle.keyset, .active) == oldActive)

        let rotated = try KeysetRotation.plan(directory: "/ks", before: before, policy: policy, now: Self.t0 + 30 * Self.day, dryRun: true)
        #expect(rotated.action == .rotated)
        #expect(secrets(rotated.keyset, .active) == oldNext)
        #expect(secrets(rotated.keyset, .retiring) == oldActive)
        #expect(secrets(rotated.keyset, .next).count == 1)
        #expect(rotated.added.filter { $0.kind == .apiKeySecret }.count == 1)
        #expect(rotated.keyset.entries(of: .apiKeySecret).first { $0.state == .retiring }?.retired == Self.t0 + 30 * Self.day)
    }

    @Test("secrets without a next one get one at the next run and rotate from the following rotation on")
    func missingNext() throws {
        let before = try keyset(secrets: [.active])
        let activeID = secrets(before, .active)
        let report = try KeysetRotation.plan(directory: "/ks", before: before, policy: RotationPolicy(), now: Self.t0 + Self.day, dryRun: true)
        #expect(report.action == .rotated, "the signing keys still rotate")
        #expect(secrets(report.keyset, .active) == activeID)
        #expect(secrets(report.keyset, .next).count == 1)
        #expect(report.notes.contains { $0.contains("no next API-key secret") })

        let keysetWithoutSecrets = try keyset(secrets: [])
        let plain = try KeysetRotation.plan(directory: "/ks", before: keysetWithoutSecrets, policy: RotationPolicy(), now: Self.t0 + Self.day, dryRun: true)
        #expect(plain.keyset.entries(of: .apiKeySecret).isEmpty, "a keyset without secrets gets none from a rotation")
    }

    @Test("a keyset without an active secret cannot mint, and says so")
    func noActive() throws {
        let keyset = try keyset(secrets: [.next])
        #expect(throws: TokenError(.keyNotFound, "")) { try keyset.activeAPIKeySecret() }
        #expect(throws: TokenError(.keyNotFound, "")) { try APIKey.mintBound(secrets: keyset) }
    }

    @Test("prepareForBoundKeys adds an active and a next secret once, and refuses a missing keyset unless asked to create it")
    func prepare() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tk-bound-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TokenError(.inputUnreadable, "")) {
            try Keyset.prepareForBoundKeys(in: directory, now: Self.t0, creatingWith: nil)
        }
        let created = try Keyset.prepareForBoundKeys(in: directory, now: Self.t0, creatingWith: .es256)
        #expect(created.createdKeyset)
        #expect(created.addedSecrets.map(\.state) == [.active, .next])
        let again = try Keyset.prepareForBoundKeys(in: directory, now: Self.t0 + 1, creatingWith: nil)
        #expect(!again.createdKeyset && again.addedSecrets.isEmpty)
        #expect(try again.keyset.activeAPIKeySecret().id == created.addedSecrets[0].kid)
        let loaded = try Keyset.loadAPIKeySecrets(from: directory)
        #expect(loaded.entries(of: .apiKeySecret).count == 2)
        #expect(loaded.entries(of: .jwt).count == 1)
    }
}
