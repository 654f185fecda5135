import Testing
@testable import TokenKit

@Suite("Escaping untrusted text for terminals and logs")
struct UntrustedTextTests {
    @Test("controls, DEL, C1, bidi and invisible format characters become visible escapes", arguments: [
        ("a\nb", #"a\nb"#), ("a\rb\tc", #"a\rb\tc"#), ("\u{1B}]0;t\u{07}", #"\x1b]0;t\x07"#), ("\u{0}", #"\x00"#),
        ("\u{7F}", #"\x7f"#), ("\u{85}\u{9B}", #"\u{85}\u{9B}"#), ("abc\u{202E}exe", #"abc\u{202E}exe"#),
        ("\u{2066}\u{2069}\u{200E}\u{200F}\u{061C}", #"\u{2066}\u{2069}\u{200E}\u{200F}\u{61C}"#),
        ("\u{2028}\u{FEFF}\u{200B}", #"\u{2028}\u{FEFF}\u{200B}"#),
    ])
    func escapes(input: String, expected: String) {
        #expect(UntrustedText.escaped(input) == expected)
    }

    @Test("printable text, backslashes and non-ASCII letters are kept; escaping twice changes nothing")
    func keeps() {
        for text in ["plain", #"a\nb"#, "josé 東京 🙂", #"C:\path"#] {
            #expect(UntrustedText.escaped(text) == text)
        }
        let once = UntrustedText.escaped("x\n\u{1B}\u{202E}")
        #expect(UntrustedText.escaped(once) == once)
    }

    @Test("escapedLines keeps the line breaks and escapes the rest")
    func lines() {
        #expect(UntrustedText.escapedLines("a\u{1B}\nb\u{202E}\n") == "a\\x1b\nb\\u{202E}\n")
    }

    /// Pieces that random texts are made of: printable runs longer and shorter than a word,
    /// line breaks, each kind of character escapedLines escapes, and non-ASCII it keeps.
    static let pieces: [String] = [
        "a", "plain text", "0123456789abcdef", "~", " ", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{1F}", "\u{7F}",
        "\u{80}", "\u{9F}", "é", "東京", "🙂", "\u{202E}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{A0}",
    ]

    @Test("printsUnescaped answers as escapedLines does (the text unchanged), over random texts")
    func printsUnescapedAgreesWithEscapedLines() {
        var random = SplitMix64(state: 0x7E57)
        var kept = 0
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<Int(random.next() % 12) { text += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
            let bytes = Array(text.utf8)
            // Offsets 0 to 7 of the text in the buffer: the word test reads at every alignment.
            let shift = Int(random.next() % 8)
            let padded = Array(repeating: UInt8(ascii: "x"), count: shift) + bytes
            let answer = padded.withUnsafeBufferPointer { UntrustedText.printsUnescaped(UnsafeBufferPointer(rebasing: $0[shift...])) }
            #expect(answer == (UntrustedText.escapedLines(text) == text), "\(bytes)")
            if answer { kept += 1 }
        }
        #expect(kept > 400 && kept < 3600)
    }
}

@Suite("Token or path: the file-or-token decision")
struct InputArgumentTests {
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"

    @Test("tokens and header lines holding one are tokens")
    func tokens() {
        for argument in [Self.jwt, "Bearer \(Self.jwt)", "Authorization: Bearer \(Self.jwt)", "a.b.c"] {
            #expect(InputArgument.classify(argument, fileExists: { _ in false }) == .token(argument))
        }
    }

    @Test("anything else is a path, and an existing file is always a path")
    func paths() {
        for argument in ["claims/typo.json", "typo.json", "a.b.json", "token", "eyJhbGciOiJIUzI1NiJ9", "", "/dev/stdin"] {
            #expect(InputArgument.classify(argument, fileExists: { _ in false }) == .path(argument))
        }
        #expect(InputArgument.classify(Self.jwt, fileExists: { _ in true }) == .path(Self.jwt))
    }
}
