import Foundation

/// The entry point of the `tokenctl` executable.
public enum TokenCTL {
    /// Runs the command line of this process and exits with its status.
    public static func main() -> Never {
        exit(0)
    }
}
