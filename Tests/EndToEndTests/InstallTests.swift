import Foundation
import Testing

/// `make install` / `make uninstall` lay out and remove exactly the binary, the man page and
/// the completions, and the installed completions work in bash, zsh and fish. The tests copy the
/// binary already built for the test run (BIN=...), so they do not build a release binary.
@Suite("make install")
struct InstallTests {
    /// Every file `make install PREFIX=/usr` installs, relative to DESTDIR.
    static let installedFiles = [
        "usr/bin/tokenctl",
        "usr/share/bash-completion/completions/tokenctl",
        "usr/share/fish/vendor_completions.d/tokenctl.fish",
        "usr/share/man/man1/tokenctl.1",
        "usr/share/zsh/site-functions/_tokenctl",
    ]

    /// Runs `make TARGET DESTDIR=destination PREFIX=/usr BIN=<the built binary>` in the repository.
    static func make(_ target: String, into destination: URL) throws -> RunResult {
        try Subprocess.run(
            "make", ["-s", target, "DESTDIR=\(destination.path)", "PREFIX=/usr", "BIN=\(Tokenctl.binary.path)"],
            directory: Subprocess.repositoryRoot)
    }

    /// The regular files under a directory, relative to it, sorted.
    static func files(under root: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
            }
        }
        return found.sorted()
    }

    @Test("make install DESTDIR=... PREFIX=/usr lays out the binary, man page and completions; uninstall removes them")
    func installAndUninstall() throws {
        let destination = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: destination) }
        let install = try Self.make("install", into: destination)
        #expect(install.status == 0, "\(install)")
        #expect(Self.files(under: destination) == Self.installedFiles)

        let binary = destination.appendingPathComponent("usr/bin/tokenctl")
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        let version = try Subprocess.run(binary.path, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("tokenctl "), "\(version)")
        let man = try String(contentsOf: destination.appendingPathComponent("usr/share/man/man1/tokenctl.1"), encoding: .utf8)
        #expect(man == (try String(contentsOf: Subprocess.repositoryRoot.appendingPathComponent("man/tokenctl.1"), encoding: .utf8)))

        // A file of someone else's in the same directory stays.
        let other = destination.appendingPathComponent("usr/bin/other-tool")
        try Data("x".utf8).write(to: other)
        let uninstall = try Self.make("uninstall", into: destination)
        #expect(uninstall.status == 0, "\(uninstall)")
        #expect(Self.files(under: destination) == ["usr/bin/other-tool"])
    }

    /// The path of a shell, or nil (recording a failure under CI=true, where the shells must be installed).
    static func shell(_ name: String) -> String? {
        if let path = Subprocess.which(name) { return path }
        if Subprocess.isCI { Issue.record("\(name) is not installed; .ci/run installs it") }
        return nil
    }

    @Test("installed completions load in bash, zsh and fish and complete a subcommand and a flag")
    func completionsLoad() throws {
        let destination = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: destination) }
        let install = try Self.make("install", into: destination)
        try #require(install.status == 0, "\(install)")
        let share = destination.appendingPathComponent("usr/share")

        if let bash = Self.shell("bash") {
            let file = share.appendingPathComponent("bash-completion/completions/tokenctl").path
            func complete(_ words: String) throws -> [String] {
                let script = """
                    source "$1" || exit 3
                    complete -p tokenctl >/dev/null || exit 4
                    COMP_WORDS=(\(words)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                    COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                    _tokenctl tokenctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """
                let result = try Subprocess.run(bash, ["--norc", "--noprofile", "-c", script, "bash", file])
                #expect(result.status == 0, "\(result)")
                return result.stdout.split(separator: "\n").map(String.init)
            }
            #expect(try complete("tokenctl veri") == ["verify"])
            #expect(try complete("tokenctl verify --allow-n") == ["--allow-no-exp"])
        }

        if let fish = Self.shell("fish") {
            let file = share.appendingPathComponent("fish/vendor_completions.d/tokenctl.fish").path
            func complete(_ line: String) throws -> [String] {
                let result = try Subprocess.run(
                    fish, ["--no-config", "-c", "source $argv[1]; and complete -C $argv[2]", file, line],
                    environment: ["PATH": "/usr/bin:/bin", "HOME": destination.path])
                #expect(result.status == 0, "\(result)")
                return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
            }
            #expect(try complete("tokenctl veri") == ["verify"])
            #expect(try complete("tokenctl verify --allow-n") == ["--allow-no-exp"])
        }

        if let zsh = Self.shell("zsh") {
            // zsh completes only inside its line editor: drive an interactive zsh through a
            // pseudo-terminal (zpty), type a line and TAB, and have ^T write the edited line to a
            // file. A unique subcommand is inserted; a flag's completion is listed on the terminal
            // (kept in a second file).
            let lines = destination.appendingPathComponent("zsh-lines")
            let terminal = destination.appendingPathComponent("zsh-terminal")
            let script = destination.appendingPathComponent("drive.zsh")
            try Data(#"""
                zmodload zsh/zpty || exit 3
                zpty z zsh -f -i
                zpty -w z "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
                zpty -w z "dump() { print -r -- \"\$BUFFER\" >> ${(q)2}; BUFFER=; }; zle -N dump; bindkey '^T' dump"
                zpty -w -n z $'tokenctl veri\t\x14'
                zpty -w -n z $'tokenctl verify --allow-n\t\x14'
                for i in {1..500}; do
                    zpty -r -t z output 2>/dev/null && print -rn -- "$output" >> $3
                    [[ -f $2 && $(wc -l < $2) -ge 2 ]] && break
                    sleep 0.02
                done
                sleep 0.1
                while zpty -r -t z output 2>/dev/null; do print -rn -- "$output" >> $3; done
                zpty -d z
                """#.utf8).write(to: script)
            let result = try Subprocess.run(
                zsh, ["-f", script.path, share.appendingPathComponent("zsh/site-functions").path, lines.path, terminal.path],
                environment: ["PATH": "/usr/bin:/bin", "HOME": destination.path, "TERM": "dumb"])
            #expect(result.status == 0, "\(result)")
            let edited = (try? String(contentsOf: lines, encoding: .utf8)) ?? ""
            #expect(edited.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                == ["tokenctl verify", "tokenctl verify --allow-n"], "zsh lines: \(edited)")
            let shown = (try? String(contentsOf: terminal, encoding: .utf8)) ?? ""
            #expect(shown.contains("--allow-no-exp"), "zsh terminal: \(shown)")
        }
    }
}
