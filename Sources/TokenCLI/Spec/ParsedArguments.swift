/// The raw result of parsing one command's arguments against its ``CommandSpec``: no
/// I/O has happened and no value has been interpreted yet (the command's own code
/// resolves values, reads files, and checks combinations).
public struct ParsedArguments: Sendable, Equatable {
    /// One option as it appeared on the command line, in order.
    public struct Occurrence: Sendable, Equatable {
        /// The option's long name without dashes (`"key"`), even when given as `-k`.
        public var name: String
        /// The option's value; `nil` for a switch or an optional value that was not given.
        public var value: String?

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// Every option occurrence, in command-line order.
    public var occurrences: [Occurrence]
    /// The positional arguments (after options, or after `--`), in order.
    public var positionals: [String]

    public init(occurrences: [Occurrence] = [], positionals: [String] = []) {
        self.occurrences = occurrences
        self.positionals = positionals
    }

    /// The value of the last occurrence of an option, or `nil` if it was not given
    /// (or given without a value).
    public func value(_ name: String) -> String? {
        occurrences.last(where: { $0.name == name })?.value
    }

    /// The values of every occurrence of a repeatable option, in order.
    public func values(_ name: String) -> [String] {
        occurrences.filter { $0.name == name }.compactMap(\.value)
    }

    /// Whether an option (switch or valued) was given at all.
    public func has(_ name: String) -> Bool {
        occurrences.contains(where: { $0.name == name })
    }
}
