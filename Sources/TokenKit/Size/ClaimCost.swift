/// What one top-level claim costs in the encoded token.
public struct ClaimCost: Hashable, Sendable {
    /// The claim's name.
    public let name: String
    /// The characters the base64url payload segment would lose if the claim were removed
    /// from the payload's own JSON text (see ``SizeReport`` for exactly what is removed).
    public let bytes: Int

    /// Creates a cost.
    public init(name: String, bytes: Int) {
        self.name = name
        self.bytes = bytes
    }
}

extension ClaimCost {
    /// The removal cost of every top-level member of `json`, a JSON object text already
    /// accepted by ``JSONParser`` whose members are `names`, in order.
    ///
    /// A member is removed from the original bytes, so whitespace and escapes are counted as
    /// the token has them:
    /// - a member followed by another loses its name, value, the comma and any whitespace up
    ///   to the next member's name (`"a":1, "b":2` → `"b":2`);
    /// - the last of several loses the comma after the previous value, the whitespace around
    ///   it, its name and value (`"a":1, "b":2` → `"a":1`);
    /// - a sole member loses its name and value, keeping whitespace inside the braces.
    ///
    /// The result is again valid JSON; the cost is the base64url length before minus after.
    /// For compact JSON (what `sign` writes) this equals re-serializing the object without the
    /// member with ``JSONValue/serialized``.
    static func costs(ofMembersIn json: [UInt8], names: [String]) -> [ClaimCost] {
        let total = Base64URL.encodedLength(ofByteCount: json.count)
        func cost(removing removed: Int) -> Int { total - Base64URL.encodedLength(ofByteCount: json.count - removed) }
        // Each member's cost is known when the next one is found (its removal ends at the next
        // name), the last one's at the end: one pass, no array of spans.
        var costs: [ClaimCost] = []
        costs.reserveCapacity(names.count)
        var count = 0
        var previous: MemberScanner.Span?
        var valueEndBeforePrevious = 0
        json.withUnsafeBufferPointer { bytes in
            MemberScanner.forEachMember(in: bytes) { span in
                if let previous, count <= names.count {
                    costs.append(ClaimCost(name: names[count - 1], bytes: cost(removing: span.name.lowerBound - previous.name.lowerBound)))
                    valueEndBeforePrevious = previous.valueEnd
                }
                previous = span
                count += 1
            }
        }
        guard count == names.count, let last = previous else { return [] }
        // The last member: alone, its name and value; after others, from the previous value's end.
        let removed = count == 1 ? last.valueEnd - last.name.lowerBound : last.valueEnd - valueEndBeforePrevious
        costs.append(ClaimCost(name: names[count - 1], bytes: cost(removing: removed)))
        return costs
    }
}

/// Finds where each top-level member of a JSON object text starts and ends, on text the
/// strict parser has already accepted (so it only needs to track strings and brackets).
enum MemberScanner {
    /// One member: the byte range of its name (with quotes) and the offset just past its value.
    struct Span: Equatable {
        var name: Range<Int>
        var valueEnd: Int
    }

    /// Every member's span, in order.
    static func memberSpans(_ bytes: [UInt8]) -> [Span] {
        var spans: [Span] = []
        bytes.withUnsafeBufferPointer { bytes in forEachMember(in: bytes) { spans.append($0) } }
        return spans
    }

    /// Calls `body` with each member's span, in order.
    static func forEachMember(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Span) -> Void) {
        var position = 0
        skipWhitespace(bytes, &position)
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return }
        position += 1
        while true {
            skipWhitespace(bytes, &position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return }
            let nameStart = position
            skipString(bytes, &position)
            let nameEnd = position
            skipWhitespace(bytes, &position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return }
            position += 1
            skipWhitespace(bytes, &position)
            skipValue(bytes, &position)
            body(Span(name: nameStart..<nameEnd, valueEnd: position))
            skipWhitespace(bytes, &position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return }
            position += 1
        }
    }

    private static func skipWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Skips a string starting at its opening quote, leaving `position` after the closing one.
    private static func skipString(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""): position += 1; return
            default: position += 1
            }
        }
    }

    private static func skipValue(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) {
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                skipString(bytes, &position)
                if depth == 0 { return }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return }
                depth -= 1
                if depth == 0 { position += 1; return }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { return }
            default: break
            }
            position += 1
        }
    }
}
