/// Finds tokens in an HTTP Archive (HAR 1.2) document: in every entry's request URL,
/// request and response headers, cookies, query string, form parameters, request body and
/// response body (JSON or any text; base64-encoded bodies are decoded), and redirect URL.
///
/// A HAR file is one JSON document, so it is read whole: at most ``maxDocumentBytes``
/// (64 MiB). A larger file is scanned as text instead, line by line (its tokens are still
/// found, as JSON members, without their entries). A token found in a message's headers is
/// not counted again for the same message's `cookies` or `queryString` arrays, which
/// repeat them. Lines are those of the first occurrence of the token's text in the file. An
/// entry's URL is kept with its tokens replaced by their fingerprints.
public enum HARScanner {
    /// The largest HAR document read whole: 64 MiB.
    public static let maxDocumentBytes = 64 << 20

    /// Whether an input looks like a HAR file: its name ends in `.har`, or its text starts
    /// with `{` and names `"log"` and `"entries"` or `"version"` near the start.
    ///
    /// - Parameters:
    ///   - path: the input's path, if it is a file.
    ///   - prefix: the input's first bytes (a few KiB are enough).
    public static func looksLikeHAR(path: String?, prefix: [UInt8]) -> Bool {
        if let path, path.lowercased().hasSuffix(".har") { return true }
        guard let first = prefix.firstIndex(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }),
            prefix[first] == 0x7B
        else { return false }
        let head = String(decoding: prefix.prefix(4096), as: UTF8.self)
        return head.contains("\"log\"") && (head.contains("\"entries\"") || head.contains("\"creator\""))
    }

    /// Scans a HAR document.
    ///
    /// - Parameters:
    ///   - document: the whole file.
    ///   - source: its name in places.
    ///   - emit: called for each candidate, in entry order.
    /// - Throws: ``TokenError/Code/malformedJSON`` when it is not JSON or has no `log.entries` array.
    public static func scan(_ document: [UInt8], source: String, _ emit: (ScanOccurrence) -> Void) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(document)
        } catch {
            throw TokenError(.malformedJSON, "\(source) is not a HAR file: \(TokenError.wrapping(error).reason)")
        }
        guard let entries = root.objectValue?["log"]?.objectValue?["entries"]?.arrayValue else {
            throw TokenError(.malformedJSON, "\(source) is not a HAR file: it has no log.entries array")
        }
        var locator = LineLocator(document)
        for (offset, entryValue) in entries.enumerated() {
            guard let entry = entryValue.objectValue else { continue }
            let request = entry["request"]?.objectValue ?? JSONObject()
            let response = entry["response"]?.objectValue ?? JSONObject()
            let method = request["method"]?.stringValue ?? "?"
            let url = TokenScanner.redacted(request["url"]?.stringValue ?? "?")
            var context = EntryScan(source: source, index: offset + 1, method: method, url: url)
            context.message(request, direction: .request, locator: &locator)
            context.message(response, direction: .response, locator: &locator)
            context.found.forEach(emit)
        }
    }

    /// Scans one entry, remembering what each message already reported.
    private struct EntryScan {
        let source: String
        let index: Int
        let method: String
        let url: String
        var found: [ScanOccurrence] = []
        var seen: Set<String> = []

        /// Scans each `{name, value}` of a HAR list (query string, form parameters), the
        /// carrier named by `carrier`.
        private mutating func parameters(
            _ list: JSONValue?, part: String, direction: ScanPlace.Direction, locator: inout LineLocator,
            carrier: (String) -> ScanPlace.Carrier
        ) {
            for parameter in pairs(list) {
                let value = Array(parameter.value.utf8)
                let found = LineScanner.candidateRanges(value).map {
                    LineScanner.Found(range: $0, carrier: carrier(parameter.name), direction: direction)
                }
                report(found, in: value, part: part, skipSeen: true, locator: &locator)
            }
        }

        mutating func message(_ message: JSONObject, direction: ScanPlace.Direction, locator: inout LineLocator) {
            seen = []
            let side = direction.rawValue
            if direction == .request, let url = message["url"]?.stringValue {
                text(url, part: "request URL", direction: direction, locator: &locator)
            }
            let prefix = direction == .request ? "> " : "< "
            for header in pairs(message["headers"]) {
                let line = Array((prefix + header.name + ": " + header.value).utf8)
                report(LineScanner.scan(line), in: line, part: "\(side) header", locator: &locator)
            }
            let isRequest = direction == .request
            for cookie in pairs(message["cookies"]) {
                let value = Array(cookie.value.utf8)
                let found = LineScanner.candidateRanges(value).map {
                    LineScanner.Found(
                        range: $0, carrier: isRequest ? .cookie(name: cookie.name) : .setCookie(name: cookie.name),
                        direction: direction, carrierBytes: cookie.name.utf8.count + 1 + value.count)
                }
                report(found, in: value, part: "\(side) cookie", skipSeen: true, locator: &locator)
            }
            parameters(message["queryString"], part: "query string", direction: direction, locator: &locator) {
                .queryParameter(name: $0)
            }
            if let postData = message["postData"]?.objectValue {
                parameters(postData["params"], part: "request form", direction: direction, locator: &locator) {
                    .field(name: $0)
                }
                if let body = postData["text"]?.stringValue {
                    text(body, part: "request body", direction: direction, locator: &locator)
                }
            }
            if let content = message["content"]?.objectValue, let body = content["text"]?.stringValue {
                var text = body
                if content["encoding"]?.stringValue == "base64",
                    let decoded = try? Base64URL.decodeStandard(utf8: Array(body.utf8))
                {
                    text = String(decoding: decoded, as: UTF8.self)
                }
                self.text(text, part: "\(side) body", direction: direction, locator: &locator)
            }
            if let redirect = message["redirectURL"]?.stringValue, !redirect.isEmpty {
                text(redirect, part: "redirect URL", direction: direction, locator: &locator, skipSeen: true)
            }
        }

        /// Scans free text (a URL or a body), line by line.
        mutating func text(
            _ text: String, part: String, direction: ScanPlace.Direction, locator: inout LineLocator,
            skipSeen: Bool = false
        ) {
            guard text.utf8.count >= 3 else { return }
            for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: true) {
                let bytes = Array(line)
                var found = LineScanner.scan(bytes)
                for i in found.indices { found[i].direction = direction }
                report(found, in: bytes, part: part, skipSeen: skipSeen, locator: &locator)
            }
        }

        mutating func report(
            _ found: [LineScanner.Found], in line: [UInt8], part: String, skipSeen: Bool = false,
            locator: inout LineLocator
        ) {
            for item in found {
                let text = String(decoding: line[item.range], as: UTF8.self)
                if skipSeen && seen.contains(text) {
                    _ = locator.line(of: Array(text.utf8))  // keeps later occurrences on their own lines
                    continue
                }
                seen.insert(text)
                let place = ScanPlace(
                    source: source, line: locator.line(of: Array(text.utf8)), carrier: item.carrier, header: item.header,
                    direction: item.direction,
                    harEntry: ScanPlace.HAREntry(index: index, method: method, url: url, part: part),
                    carrierBytes: item.carrierBytes)
                self.found.append(ScanOccurrence(text: text, place: place))
            }
        }

        func pairs(_ value: JSONValue?) -> [(name: String, value: String)] {
            (value?.arrayValue ?? []).compactMap { item in
                guard let object = item.objectValue, let name = object["name"]?.stringValue,
                    let value = object["value"]?.stringValue
                else { return nil }
                return (name, value)
            }
        }
    }
}

/// Finds the line of the next occurrence of a text in a document: each text's occurrences
/// are handed out in document order.
struct LineLocator {
    private let document: [UInt8]
    private var newlines: [Int] = []
    private var next: [[UInt8]: Int] = [:]
    private var lastLine = 1

    init(_ document: [UInt8]) {
        self.document = document
        for (offset, byte) in document.enumerated() where byte == 0x0A { newlines.append(offset) }
    }

    /// The 1-based line of the next occurrence of `text`, or of the first when all have
    /// been handed out, or the last line reported when it does not occur (an encoded body).
    mutating func line(of text: [UInt8]) -> Int {
        let from = next[text] ?? 0
        guard let offset = find(text, from: from) ?? find(text, from: 0) else { return lastLine }
        next[text] = offset + text.count
        var low = 0
        var high = newlines.count
        while low < high {
            let mid = (low + high) / 2
            if newlines[mid] < offset { low = mid + 1 } else { high = mid }
        }
        lastLine = low + 1
        return lastLine
    }

    private func find(_ text: [UInt8], from: Int) -> Int? {
        guard let first = text.first, !text.isEmpty else { return nil }
        var position = from
        let last = document.count - text.count
        while position <= last {
            guard let candidate = document[position...last].firstIndex(of: first) else { return nil }
            if document[candidate..<(candidate + text.count)].elementsEqual(text) { return candidate }
            position = candidate + 1
        }
        return nil
    }
}
