import Foundation

extension Tokenctl {
    /// TokenKitTests' vectors, where the fixtures both test targets use are kept once: the
    /// key files of `Vectors/keys/` and PyJWT's tokens and keys of `Vectors/interop/`
    /// (`pyjwt/` here). Found from this source file, as the tests run from the source tree.
    static let sharedVectors = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenKitTests/Vectors")

    /// The path of a fixture kept in TokenKitTests' vectors: `pyjwt/NAME` is
    /// `Vectors/interop/NAME`, `keys/NAME` is `Vectors/keys/NAME`.
    static func sharedFixture(_ name: String) -> String {
        let prefix = "pyjwt/"
        let relative = name.hasPrefix(prefix) ? "interop/" + name.dropFirst(prefix.count) : name
        return sharedVectors.appendingPathComponent(relative).path
    }
}
