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
    /// The removal cost of every top-level member of a JSON object text of `jsonByteCount`
    /// bytes, whose members `claims` are at `spans` (as ``JSONParser/parseDocument(_:recordingMembers:maxDepth:)``
    /// finds them); `nil` without one span a member.
    ///
    /// A member is removed from the original bytes (``removal(ofMember:spans:)``), so
    /// whitespace and escapes are counted as the token has them. The cost is the base64url
    /// length before minus after. For compact JSON (what `sign` writes) this equals
    /// re-serializing the object without the member with ``JSONValue/serialized``.
    static func costs(ofMembersOf claims: JSONObject, spans: [JSONParser.MemberSpan], jsonByteCount: Int) -> [ClaimCost]? {
        guard spans.count == claims.count else { return nil }
        return claims.members.withUnsafeBufferPointer { members in
            costs(spans: spans, jsonByteCount: jsonByteCount) { members[$0].name }
        }
    }

    /// The removal cost of each member of a JSON object text of `jsonByteCount` bytes whose
    /// members are at `spans`, named `name(index)`, in order (as ``costs(ofMembersOf:spans:jsonByteCount:)``).
    static func costs<Spans: RandomAccessCollection<JSONParser.MemberSpan>>(
        spans: Spans, jsonByteCount: Int, name: (Int) -> String
    ) -> [ClaimCost] where Spans.Index == Int {
        let total = Base64URL.encodedLength(ofByteCount: jsonByteCount)
        var costs: [ClaimCost] = []
        costs.reserveCapacity(spans.count)
        for index in spans.indices {
            let removed = removal(ofMember: index, spans: spans).count
            costs.append(ClaimCost(name: name(index), bytes: total - Base64URL.encodedLength(ofByteCount: jsonByteCount - removed)))
        }
        return costs
    }

    /// The bytes that removing member `index` takes out of an object's text, whose members
    /// are at `spans`; what is left is again valid JSON, the object without that member:
    /// - a member followed by another loses its name, value, the comma and any whitespace up
    ///   to the next member's name (`"a":1, "b":2` → `"b":2`);
    /// - the last of several loses the comma after the previous value, the whitespace around
    ///   it, its name and value (`"a":1, "b":2` → `"a":1`);
    /// - a sole member loses its name and value, keeping whitespace inside the braces.
    static func removal<Spans: RandomAccessCollection<JSONParser.MemberSpan>>(ofMember index: Int, spans: Spans) -> Range<Int>
    where Spans.Index == Int {
        if spans.count == 1 { return spans[index].name.lowerBound..<spans[index].valueEnd }
        if index + 1 < spans.count { return spans[index].name.lowerBound..<spans[index + 1].name.lowerBound }
        return spans[index - 1].valueEnd..<spans[index].valueEnd
    }
}
