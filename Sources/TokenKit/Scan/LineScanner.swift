/// Finds the JWT-shaped candidates in one line of text and names what holds each.
///
/// A candidate is a run of base64url characters and dots that starts with `eyJ` (the
/// base64url of `{"`) at a word boundary and has at least one dot; trailing dots beyond
/// the second are punctuation and are dropped. What holds it is read from the line:
/// - a `curl -v` prefix (`> ` request, `< ` response) and an HTTP header line
///   (`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `Location`, `DPoP`,
///   `X-...`, or any header after a curl prefix): the Authorization scheme, the cookie's name;
/// - around the candidate: an Authorization scheme (`Bearer <t>`), a JSON member (`"name": "<t>"`), a URL query or fragment
///   parameter (`?name=<t>`, `#name=<t>`, `&name=<t>`), a log or form field (`name=<t>`,
///   `name: <t>`, `name="<t>"`), else plain text.
enum LineScanner {
    /// One candidate: its byte range in the line and its place (without source and line).
    struct Found {
        var range: Range<Int>
        var carrier: ScanPlace.Carrier
        var header: String?
        var direction: ScanPlace.Direction?
        var carrierBytes: Int?
    }

    /// Headers recognised without a curl prefix.
    static let knownHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "location", "dpop", "referer",
        "content-location", "link", "www-authenticate",
    ]

    /// Base64url characters and the dot.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E: return true
        default: return false
        }
    }

    /// Every candidate of `line`, in order.
    static func scan(_ line: [UInt8]) -> [Found] {
        let ranges = candidateRanges(line)
        if ranges.isEmpty { return [] }
        let header = HeaderLine(line)
        return ranges.map { classify($0, in: line, header: header) }
    }

    /// The byte ranges of the candidates.
    static func candidateRanges(_ line: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let count = line.count
        var i = 0
        while i + 2 < count {
            if line[i] == 0x65, line[i + 1] == 0x79, line[i + 2] == 0x4A, i == 0 || !isTokenByte(line[i - 1]) {
                var end = i
                var dots = 0
                while end < count, isTokenByte(line[end]) {
                    if line[end] == 0x2E { dots += 1 }
                    end += 1
                }
                while dots > 2, line[end - 1] == 0x2E {
                    end -= 1
                    dots -= 1
                }
                if dots >= 1 { result.append(i..<end) }
                i = end
            } else {
                i += 1
            }
        }
        return result
    }

    /// The header a line holds, if it is one.
    struct HeaderLine {
        var direction: ScanPlace.Direction?
        var name: String?
        var lowercased = ""
        var nameStart = 0
        var valueStart = 0
        var valueEnd = 0

        init(_ line: [UInt8]) {
            var s = 0
            while s < line.count, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
            if s + 1 < line.count, line[s + 1] == 0x20 {
                if line[s] == 0x3E { direction = .request } else if line[s] == 0x3C { direction = .response }
                if direction != nil { s += 2 }
            }
            var end = s
            while end < line.count, Self.isNameByte(line[end]) { end += 1 }
            valueEnd = line.count
            while valueEnd > 0, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 || line[valueEnd - 1] == 0x0D {
                valueEnd -= 1
            }
            guard end > s, end < line.count, line[end] == 0x3A, Self.isLetter(line[s]) else { return }
            let name = String(decoding: line[s..<end], as: UTF8.self)
            let lower = name.lowercased()
            guard direction != nil || LineScanner.knownHeaders.contains(lower) || lower.hasPrefix("x-") else { return }
            self.name = name
            lowercased = lower
            nameStart = s
            var v = end + 1
            while v < line.count, line[v] == 0x20 || line[v] == 0x09 { v += 1 }
            valueStart = v
        }

        static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

        static func isNameByte(_ byte: UInt8) -> Bool {
            isLetter(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
        }

        var lineBytes: Int { max(valueEnd - nameStart, 0) }
    }

    static func classify(_ range: Range<Int>, in line: [UInt8], header: HeaderLine) -> Found {
        let p = range.lowerBound
        guard let headerName = header.name, p >= header.valueStart else {
            var found = local(range, in: line)
            found.direction = header.direction
            return found
        }
        let quoted = p > 0 && line[p - 1] == 0x22 ? 1 : 0
        switch header.lowercased {
        case "authorization", "proxy-authorization":
            var s = header.valueStart
            while s < line.count, line[s] != 0x20, line[s] != 0x09 { s += 1 }
            let scheme = String(decoding: line[header.valueStart..<s], as: UTF8.self)
            while s < line.count, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
            if s == p, !scheme.isEmpty {
                return Found(
                    range: range, carrier: .authorization(scheme: scheme), header: headerName,
                    direction: header.direction, carrierBytes: header.lineBytes)
            }
        case "cookie", "set-cookie":
            var pairStart = p
            while pairStart > header.valueStart, line[pairStart - 1] != 0x3B { pairStart -= 1 }
            while pairStart < p, line[pairStart] == 0x20 { pairStart += 1 }
            if let equals = line[pairStart..<p].firstIndex(of: 0x3D), equals + 1 + quoted == p {
                let name = String(decoding: line[pairStart..<equals], as: UTF8.self)
                var pairEnd = range.upperBound
                while pairEnd < header.valueEnd, line[pairEnd] != 0x3B { pairEnd += 1 }
                if header.lowercased == "cookie" {
                    return Found(
                        range: range, carrier: .cookie(name: name), header: headerName, direction: header.direction,
                        carrierBytes: pairEnd - pairStart)
                }
                if pairStart == header.valueStart {
                    return Found(
                        range: range, carrier: .setCookie(name: name), header: headerName,
                        direction: header.direction, carrierBytes: header.valueEnd - header.valueStart)
                }
            }
        default: break
        }
        var found = local(range, in: line)
        if case .text = found.carrier { found.carrier = .header }
        found.header = headerName
        found.direction = header.direction
        found.carrierBytes = header.lineBytes
        return found
    }

    /// Names what holds a candidate from the bytes just before it.
    static func local(_ range: Range<Int>, in line: [UInt8]) -> Found {
        let p = range.lowerBound
        var q = p
        // A quote before the token: ", ' or \" (JSON inside a JSON string, as logs often hold).
        var escapedQuote = false
        if q > 1, line[q - 1] == 0x22, line[q - 2] == 0x5C {
            q -= 2
            escapedQuote = true
        } else if q > 0, line[q - 1] == 0x22 || line[q - 1] == 0x27 {
            q -= 1
        }
        var r = q
        while r > 0, line[r - 1] == 0x20 || line[r - 1] == 0x09 { r -= 1 }
        // A later JSON array element: [..., "<t>" goes back to the array's bracket.
        if r > 0, line[r - 1] == 0x2C, q < p, line[q] == 0x22, let bracket = openBracket(before: r - 1, in: line) {
            r = bracket + 1
        }
        // A JSON array member: ["<t>" ... takes the name of the member holding the array.
        var inArray = false
        if r > 0, line[r - 1] == 0x5B, q < p {
            r -= 1
            inArray = true
            while r > 0, line[r - 1] == 0x20 || line[r - 1] == 0x09 { r -= 1 }
        }
        if r < q, let word = nameBefore(r, in: line) {
            // "Bearer <t>" outside a header line (a log, a JSON "Authorization" value).
            let scheme = String(decoding: line[word], as: UTF8.self)
            if TokenExtractor.authorizationSchemes.contains(scheme.lowercased()) {
                return Found(range: range, carrier: .authorization(scheme: scheme))
            }
        }
        if r > 0, line[r - 1] == 0x3A {
            r -= 1
            while r > 0, line[r - 1] == 0x20 || line[r - 1] == 0x09 { r -= 1 }
            if r > 0, line[r - 1] == 0x22 {
                let end = escapedQuote && r > 1 && line[r - 2] == 0x5C ? r - 2 : r - 1
                var k = end - 1
                while k >= 0, !(line[k] == 0x22 && (escapedQuote || k == 0 || line[k - 1] != 0x5C)) { k -= 1 }
                let start = k + 1
                if escapedQuote, k > 0, line[k - 1] == 0x5C { k -= 1 }
                if k >= 0, start <= end {
                    return Found(range: range, carrier: .jsonMember(name: String(decoding: line[start..<end], as: UTF8.self)))
                }
            } else if !inArray, let name = nameBefore(r, in: line) {
                return Found(range: range, carrier: .field(name: String(decoding: line[name], as: UTF8.self)))
            }
        }
        if r == q, q > 0, line[q - 1] == 0x3D, let name = nameBefore(q - 1, in: line) {
            let text = String(decoding: line[name], as: UTF8.self)
            let before = name.lowerBound > 0 ? line[name.lowerBound - 1] : 0
            if before == 0x3F || before == 0x26 || before == 0x23 {
                var k = name.lowerBound - 1
                while k > 0, line[k] != 0x23, line[k] != 0x3F, !isURLBoundary(line[k]) { k -= 1 }
                if line[k] == 0x23 { return Found(range: range, carrier: .fragmentParameter(name: text)) }
                return Found(range: range, carrier: .queryParameter(name: text))
            }
            return Found(range: range, carrier: .field(name: text))
        }
        return Found(range: range, carrier: .text)
    }

    /// The `[` that opens the JSON array whose element ends just before `end`, skipping
    /// strings and nested arrays; `nil` when there is none within 64 KiB.
    private static func openBracket(before end: Int, in line: [UInt8]) -> Int? {
        var depth = 0
        var inString = false
        var k = end - 1
        let limit = max(end - 65536, 0)
        while k >= limit {
            let byte = line[k]
            if byte == 0x22, k == 0 || line[k - 1] != 0x5C {
                inString.toggle()
            } else if !inString {
                if byte == 0x5D || byte == 0x7D {
                    depth += 1
                } else if byte == 0x5B || byte == 0x7B {
                    if depth == 0 { return byte == 0x5B ? k : nil }
                    depth -= 1
                }
            }
            k -= 1
        }
        return nil
    }

    private static func isURLBoundary(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x27 || byte == 0x3C || byte == 0x3E
    }

    /// The field name ending at `end`: letters, digits, `_`, `-`, `.`, `[`, `]`.
    private static func nameBefore(_ end: Int, in line: [UInt8]) -> Range<Int>? {
        var start = end
        while start > 0 {
            let byte = line[start - 1]
            guard HeaderLine.isNameByte(byte) || byte == 0x2E || byte == 0x5B || byte == 0x5D else { break }
            start -= 1
        }
        return start < end ? start..<end : nil
    }
}
