// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tokenctl",
    products: [
        .library(name: "TokenKit", targets: ["TokenKit"]),
        .executable(name: "tokenctl", targets: ["tokenctl"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // libssl, for the HTTPS client that fetches a JWKS (verify --jwks); only that code imports it.
        .systemLibrary(
            name: "CLibSSL",
            pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "TokenKit", dependencies: ["COpenSSL", "CLibSSL"]),
        .target(name: "TokenCLI", dependencies: ["TokenKit"]),
        .executableTarget(name: "tokenctl", dependencies: ["TokenCLI"]),
        .testTarget(
            name: "TokenKitTests",
            dependencies: ["TokenKit"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(name: "TokenCLITests", dependencies: ["TokenCLI", "TokenKit"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["tokenctl"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
