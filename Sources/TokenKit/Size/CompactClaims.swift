/// A claim set read in place from its JSON text, without a ``JSONValue`` tree: where each
/// top-level member is, and the shape of its value, found by ``JSONClaimScanner``.
///
/// Only the usual claim set is read this way (``init(_:)``): compact JSON (what signers
/// write) of at most ``maxMembers`` members, whose values hold no object (a nested member
/// name can be personal data, which ``ClaimPolicy`` looks for in the tree). Anything else is
/// parsed, as before. A value is parsed when a rule asks for it (``value(at:)``): the times,
/// and the few claims a rule reports. `Issue12CompactClaimsTests` holds both ways to the same
/// sizes and findings.
struct CompactClaims: Sendable {
    /// One top-level member.
    struct Member: Sendable {
        /// Its name (quotes included) and the end of its value in ``CompactClaims/json``.
        let span: JSONParser.MemberSpan
        /// What ``ClaimPolicy`` measures of its value.
        let shape: ClaimShape
    }

    /// The most members read in place (so a usual claim set's spans fit on the stack while it
    /// is scanned); a claim set with more is parsed.
    static let maxMembers = 32

    /// The claim set's JSON text, valid and compact.
    let json: [UInt8]
    /// The top-level members, in order.
    let members: [Member]

    /// Reads `json` in place, or returns `nil` when it is not a claim set read this way (the
    /// caller then parses it, which also names any problem).
    init?(_ json: [UInt8]) {
        let members = json.withUnsafeBufferPointer { bytes -> [Member]? in
            let found = JSONClaimScanner.scanMembers(bytes, maxMembers: Self.maxMembers) { spans -> [Member]? in
                var members: [Member] = []
                members.reserveCapacity(spans.count)
                for span in spans {
                    guard let shape = ClaimShape(compactValue: UnsafeBufferPointer(rebasing: bytes[span.compactValue])) else {
                        return nil
                    }
                    members.append(Member(span: span, shape: shape))
                }
                return members
            }
            return found ?? nil
        }
        guard let members else { return nil }
        self.json = json
        self.members = members
    }

    /// The name of the member at `index` (a compact name holds no escape: its bytes are its text).
    func name(at index: Int) -> String {
        let name = members[index].span.compactName
        return json.withUnsafeBufferPointer { String(decoding: $0[name], as: UTF8.self) }
    }

    /// The value of the member at `index`, parsed from its text (a string or a number, the
    /// values rules read, taken as the parser takes them, without starting a parser).
    func value(at index: Int) -> JSONValue {
        let range = members[index].span.compactValue
        return json.withUnsafeBufferPointer { json in
            let text = UnsafeBufferPointer(rebasing: json[range])
            switch text[0] {
            case UInt8(ascii: "\""):
                return .string(String(utf8Bytes: UnsafeBufferPointer(rebasing: text.dropFirst().dropLast())))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(JSONNumber(validatedText: String(utf8Bytes: text)))
            default:
                // The scanner checked the whole text: its parts parse.
                return (try? JSONParser.parseDocument(buffer: text))?.value ?? .null
            }
        }
    }

    /// The whole claim set as a tree, parsed from its text.
    var object: JSONObject { (try? JSONParser.parseDocument(json))?.value.objectValue ?? JSONObject() }
}

extension JSONParser.MemberSpan {
    /// Where the member's name is, without its quotes, in compact text (which holds no escape).
    var compactName: Range<Int> { (name.lowerBound + 1)..<(name.upperBound - 1) }
    /// Where the member's value is in compact text: after the name's closing quote and the colon.
    var compactValue: Range<Int> { (name.upperBound + 1)..<valueEnd }
}

/// What ``ClaimPolicy`` measures of a claim's value: how deep it nests, its longest array
/// and longest string, and whether a member name inside it is personal data.
struct ClaimShape: Sendable, Equatable {
    /// The nesting of arrays and objects, as ``JSONValue/depth`` counts it (`["a"]` is 1).
    var depth = 0
    /// The most items of an array in it, -1 when it holds none.
    var longestArray = -1
    /// The most UTF-8 bytes of a string in it, -1 when it holds none.
    var longestString = -1
    /// Whether an object in it has a member named as personal data.
    var hasPersonalData = false

    /// The shape of a compact JSON value that holds no object (no member names to look into),
    /// measured from its text: strings there hold no escape, so their bytes are their text.
    /// `nil` when it holds an object.
    init?(compactValue value: UnsafeBufferPointer<UInt8>) {
        switch value[0] {
        case UInt8(ascii: "{"): return nil
        case UInt8(ascii: "["): break
        case UInt8(ascii: "\""):
            longestString = value.count - 2
            return
        default: return  // a number or a literal
        }
        // The items counted so far in each open array (the scanner bounds the nesting).
        let capacity = JSONParser.defaultMaxDepth + 1
        let measured = withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { items -> ClaimShape? in
            var shape = ClaimShape()
            var open = 0
            var index = 0
            while index < value.count {
                switch value[index] {
                case UInt8(ascii: "\""):
                    var end = index + 1
                    while value[end] != UInt8(ascii: "\"") { end += 1 }
                    shape.longestString = max(shape.longestString, end - index - 1)
                    index = end
                case UInt8(ascii: "["):
                    items[open] = value[index + 1] == UInt8(ascii: "]") ? 0 : 1
                    open += 1
                    shape.depth = max(shape.depth, open)
                case UInt8(ascii: ","):
                    items[open - 1] += 1  // outside strings, a comma parts the innermost array's items
                case UInt8(ascii: "]"):
                    open -= 1
                    shape.longestArray = max(shape.longestArray, items[open])
                case UInt8(ascii: "{"):
                    return nil
                default:
                    break
                }
                index += 1
            }
            return shape
        }
        guard let measured else { return nil }
        self = measured
    }

    /// A shape with every measure at its starting value; ``ClaimPolicy`` measures a tree into it.
    init() {}
}
