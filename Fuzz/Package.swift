// swift-tools-version:6.0
// The libFuzzer build of tokenctl's parsers: a package of its own, so the main package
// stays untouched. Built by `make fuzz` (scripts/fuzz.sh) with
// `-sanitize=fuzzer,address` into the scratch path .build-fuzz.
import PackageDescription

let package = Package(
    name: "tokenctl-fuzz",
    dependencies: [.package(name: "tokenctl", path: "..")],
    targets: [
        // The properties each target checks, in Swift (calls into TokenKit).
        .target(name: "TokenFuzzTargets", dependencies: [.product(name: "TokenKit", package: "tokenctl")]),
        // A tiny C target: LLVMFuzzerTestOneInput calls into Swift; libFuzzer provides main.
        .executableTarget(name: "tokenctl-fuzz", dependencies: ["TokenFuzzTargets"]),
    ],
    swiftLanguageModes: [.v6]
)
