/// A JSON value that keeps what a token's author wrote: object members in their order,
/// and numbers as their exact text (RFC 8259).
///
/// JWT headers and payloads are shown, sized and re-encoded from this type, so decoding
/// and re-serializing a claim set never reorders members or rewrites `1e3` as `1000`.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, when this value is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, when this value is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The object, when this value is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this value is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The boolean, when this value is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A short name of the value's JSON type, for messages ("string", "number", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The type name with its article, for messages: "a string", "an array", "an object", "null".
    public var typeNameWithArticle: String {
        switch self {
        case .null: return "null"
        case .array, .object: return "an \(typeName)"
        default: return "a \(typeName)"
        }
    }

    /// How deeply arrays and objects nest inside this value (a scalar is 0, `{}` is 1).
    public var depth: Int {
        // Without mapping into an array: an allocation for every array and object visited.
        var deepest = 0
        switch self {
        case .array(let elements):
            for element in elements { deepest = max(deepest, element.depth) }
        case .object(let object):
            for member in object.members { deepest = max(deepest, member.value.depth) }
        default: return 0
        }
        return 1 + deepest
    }
}

/// A JSON number kept as the exact text it was written with.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number's text, valid per the RFC 8259 grammar.
    public let text: String

    /// Wraps text already known to be a valid JSON number (the parser's output).
    init(validatedText: String) { self.text = validatedText }

    /// A number from an integer.
    public init(_ value: Int64) { self.text = String(value) }

    /// A number from an integer.
    public init(_ value: Int) { self.text = String(value) }

    public var description: String { text }

    /// Whether the text is a plain integer (no fraction, no exponent), as NumericDate
    /// claims should be.
    public var isInteger: Bool {
        // From the bytes lent in place: `utf8.contains` costs ~400 instructions a number.
        text.withUTF8Bytes { bytes in
            !bytes.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        }
    }

    /// The value as a 64-bit integer, when the text is a plain integer in range.
    public var int64Value: Int64? {
        text.withUTF8Bytes { Self.int64Value($0) }
    }

    /// ``int64Value`` of a valid number's UTF-8 text.
    static func int64Value(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        // At most 18 digits cannot overflow: no check a digit (a NumericDate has 10).
        let signed = utf8.first == UInt8(ascii: "-")
        if utf8.count - (signed ? 1 : 0) <= 18 {
            var value: Int64 = 0
            var index = signed ? 1 : 0
            // Eight digits at a time (a NumericDate's first eight), then one at a time.
            if let base = utf8.baseAddress {
                while index + 8 <= utf8.count {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    guard JSONDigitRun.nonDigitFlags(word) == 0 else { return nil }
                    value = value &* 100_000_000 &+ Int64(JSONDigitRun.eightDigitValue(word))
                    index += 8
                }
            }
            while index < utf8.count {
                let digit = utf8[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value &* 10 &+ Int64(digit)
                index += 1
            }
            return signed ? -value : value
        }
        var value: Int64 = 0
        var negative = false
        for index in utf8.indices {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowAdd) = negative
                    ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                if overflowTimes || overflowAdd { return nil }
                value = next
            default: return nil
            }
        }
        return value
    }

    /// The value as a double (may round).
    public var doubleValue: Double? { Double(text) }
}

/// A JSON object whose members keep their order.
///
/// Names are unique: the parser rejects duplicates, and assignment replaces a member in place.
public struct JSONObject: Hashable, Sendable {
    /// One name/value pair.
    public struct Member: Hashable, Sendable {
        public var name: String
        public var value: JSONValue
        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The members, in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object with the given members; a later duplicate name replaces the earlier value.
    public init(_ pairs: [(String, JSONValue)]) {
        members = []
        members.reserveCapacity(pairs.count)
        // Names compare as UTF-8 bytes: a linear scan for the few members of a usual object
        // (as the parser does), a set of byte strings beyond that, which keeps this linear.
        if pairs.count <= 16 {
            for (name, value) in pairs { self[name] = value }
            return
        }
        var seen = Set<[UInt8]>(minimumCapacity: pairs.count)
        for (name, value) in pairs {
            if seen.insert(Array(name.utf8)).inserted {
                members.append(Member(name: name, value: value))
            } else {
                self[name] = value
            }
        }
    }

    /// The member names, in order.
    public var names: [String] { members.map(\.name) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of a member; setting replaces it in place, or appends a new member;
    /// setting `nil` removes it.
    public subscript(name: String) -> JSONValue? {
        get { index(of: name).map { members[$0].value } }
        set {
            if let index = members.firstIndex(where: { $0.name.isByteEqual(to: name) }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(name: name, value: newValue))
            }
        }
    }

    /// Whether a member with this name exists.
    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// The position of the member named `name` (UTF-8 bytes compared), lengths compared first.
    private func index(of name: String) -> Int? {
        name.withUTF8Bytes { wanted in
            members.firstIndex { member in
                let utf8 = member.name.utf8
                guard utf8.count == wanted.count else { return false }
                return utf8.withContiguousStorageIfAvailable { sameBytes($0, wanted) } ?? utf8.elementsEqual(wanted)
            }
        }
    }

    /// Reserves room for `count` members.
    mutating func reserveCapacity(_ count: Int) { members.reserveCapacity(count) }

    /// Appends a member known not to exist yet (the parser checks for duplicates).
    mutating func appendUnchecked(_ name: String, _ value: JSONValue) {
        members.append(Member(name: name, value: value))
    }
}
