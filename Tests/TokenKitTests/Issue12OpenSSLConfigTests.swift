import Foundation
import Testing
@testable import TokenKit

/// ``OpenSSLConfigFile/isInert(_:)``: the default configuration file is skipped only when it
/// certainly configures nothing; anything the check does not model leaves it to OpenSSL.
@Suite("OpenSSL configuration file (issue 12)")
struct Issue12OpenSSLConfigTests {
    static func inert(_ text: String) -> Bool { Array(text.utf8).withUnsafeBufferPointer(OpenSSLConfigFile.isInert) }

    @Test("a file without openssl_conf, or whose module section has no line, configures nothing", arguments: [
        "",
        "# only a comment\n\n",
        "HOME = .\n[ ca ]\ndefault_ca = CA_default # the default\n[ CA_default ]\ndir = ./demoCA\ncerts = $dir/certs\n",
        "HOME = .\nopenssl_conf = openssl_init\n[ new_oids ]\ntsa_policy1 = 1.2.3.4.1\n[openssl_init]\n# providers = provider_sect\n\n[ req ]\nprompt = no\n",
        "[default]\nopenssl_conf = init\n[init]\n",
        "openssl_conf = init\r\n[ init ]\r\n#fips = fips_sect\r\n[ca]\r\nx = y\r\n",
        "[ insta ] # a CMP section\nrecipient = \"/C=FI/O=Demo/CN=Demo CA\" # or set srvcert\nopenssl_conf = not_the_default_section\n",
        // openssl_conf outside the default section is not OpenSSL's setting
        "[other]\nopenssl_conf = init\n[init]\nproviders = provider_sect\n",
    ])
    func inertFiles(text: String) {
        #expect(Self.inert(text), "\(text)")
    }

    @Test("a file that configures something, or that the check does not read completely, is loaded", arguments: [
        "openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\nfips = fips_sect\n",
        // the module section reopened further down with a line
        "openssl_conf = init\n[init]\n# nothing yet\n[ca]\nx = y\n[init]\nalg_section = evp\n",
        // the last openssl_conf counts
        "openssl_conf = empty\nopenssl_conf = init\n[empty]\n[init]\nrandom = random_sect\n",
        ".include /etc/ssl/fips.cnf\n",
        "  .pragma dollarid:true\n",
        "openssl_conf = $name\n[init]\n",
        "openssl_conf = missing_section\n",
        "name = value \\\n continued = yes\n",
        "openssl_conf = \"init\"\n[init]\n",
        "init::providers = p\n",
        "a line without an equals sign\n",
        "[unterminated\n",
        "[ ]\n",
    ])
    func loadedFiles(text: String) {
        #expect(!Self.inert(text), "\(text)")
    }

    @Test("a file is read from its path; one that cannot be read is left to OpenSSL")
    func fromPath() throws {
        let directory = "/tmp/tokenctl-config-test-\(getpid())"
        mkdir(directory, 0o700)
        defer { _ = try? FileManager.default.removeItem(atPath: directory) }
        let inert = directory + "/inert.cnf", active = directory + "/active.cnf"
        try Data("openssl_conf = init\n[init]\n# providers = p\n".utf8).write(to: URL(fileURLWithPath: inert))
        try Data("openssl_conf = init\n[init]\nproviders = p\n".utf8).write(to: URL(fileURLWithPath: active))
        #expect(OpenSSLConfigFile.isInert(path: inert))
        #expect(!OpenSSLConfigFile.isInert(path: active))
        #expect(!OpenSSLConfigFile.isInert(path: directory + "/missing.cnf"))
        #expect(!OpenSSLConfigFile.isInert(path: directory))
    }

    @Test("OPENSSL_CONF, when set, is always loaded")
    func environmentWins() {
        #expect(OpenSSLRuntime.configurationMayMatter(environmentFile: "/nonexistent/openssl.cnf"))
        #expect(OpenSSLRuntime.configurationMayMatter(environmentFile: ""))
    }
}
