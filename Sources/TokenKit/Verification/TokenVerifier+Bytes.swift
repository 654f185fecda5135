extension TokenVerifier {
    /// A token verified from bytes lent by the caller (``verifyUsual(_:_:)``): what a verdict
    /// shows of it, without the token's text, a copy of its parts or a tree of its claims.
    /// It borrows the decoded payload: use it only inside the call it is lent to.
    public struct VerifiedBytes {
        /// The algorithm that verified it.
        public let algorithm: Algorithm
        /// The key that verified it.
        public let key: Key
        /// Its header, as ``CompactToken`` checked it.
        let header: HeaderCache.Entry
        /// Its decoded payload: compact JSON as received (the claims scanner read it in place).
        let payload: UnsafeBufferPointer<UInt8>

        /// The header's `kid`, when present.
        public var keyID: String? { header.keyID }

        /// The verifying key's `kid`, when it has one (read in place, where a caller in
        /// another module would copy the key to read it).
        public var verifyingKeyID: String? { key.kid }

        /// Appends the compact JSON text of the header to `out` (``CompactToken/serializeHeader(to:)``).
        public func serializeHeader(to out: inout ByteWriter) { header.serialize(to: &out) }

        /// Appends the compact JSON text of the claims to `out`: the payload as received.
        public func serializeClaims(to out: inout ByteWriter) { out.append(contentsOf: payload) }
    }

    /// Verifies the usual token from its bytes with the checks of ``verify(_:)``, in its
    /// order, and lends the result to `body`: the batch verifier's path for a line that is a
    /// bare token. It makes no string, no ``CompactToken`` and no claims tree, and decodes the
    /// payload and signature into scratch space on the stack.
    ///
    /// - Parameters:
    ///   - token: the token's bytes, without surrounding whitespace.
    ///   - body: what to do with the verified token, which it must not keep. (Not generic:
    ///     a generic function called from another module is not specialised, and looks up
    ///     type metadata at run time for every token.)
    /// - Returns: whether the token was decided here; `false` when it is not the usual kind: not
    ///   three segments of strict base64url within ``maxTokenBytes``, a header that does not
    ///   pass ``CompactToken``'s checks, a payload the claims scanner leaves to the parser, or
    ///   claims required by name. ``verify(_:)`` of its text then decides, and names what is
    ///   wrong.
    /// - Throws: what ``verify(_:)`` throws for the same token once its parts are decoded: a
    ///   rejection of the header, the signature or the claims.
    public func verifyUsual(_ token: UnsafeBufferPointer<UInt8>, _ body: (VerifiedBytes) -> Void) throws -> Bool {
        guard token.count <= maxTokenBytes else { return false }
        let (dotCount, dots) = CompactToken.dots(token)
        guard dotCount == 2, dots.0 > 0, let header = CompactToken.usualHeader(UnsafeBufferPointer(rebasing: token[..<dots.0]))
        else { return false }
        let payloadText = UnsafeBufferPointer(rebasing: token[(dots.0 + 1)..<dots.1])
        let signatureText = UnsafeBufferPointer(rebasing: token[(dots.1 + 1)...])
        let signingInput = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<dots.1]))
        // Both parts decoded into one scratch space, in one closure: nested closures cost
        // reference counting of what they capture, a few times a token. Text that is not
        // strict base64url is left to the general path, which names the problem.
        let payloadRoom = Base64URL.decodingRoom(payloadText.count)
        let room = payloadRoom + Base64URL.decodingRoom(signatureText.count)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { scratch in
            guard let payload = Base64URL.decodedIfStrict(payloadText, into: UnsafeMutableBufferPointer(rebasing: scratch[..<payloadRoom])),
                let signature = Base64URL.decodedIfStrict(signatureText, into: UnsafeMutableBufferPointer(rebasing: scratch[payloadRoom...]))
            else { return false }
            return try verifyDecoded(header: header, payload: payload, signature: signature, signingInput: signingInput, body)
        }
    }

    /// ``verifyUsual(_:_:)`` once the token's parts are decoded: `false` when the payload is
    /// left to the general path.
    private func verifyDecoded(
        header: HeaderCache.Entry, payload: UnsafeBufferPointer<UInt8>, signature: UnsafeBufferPointer<UInt8>,
        signingInput: UnsafeRawBufferPointer, _ body: (VerifiedBytes) -> Void
    ) throws -> Bool {
        let match = try rules.signatureVerifier.verify(header: header, signature: UnsafeRawBufferPointer(signature), over: signingInput)
        guard try checkClaimsInPlace(payload, header: header) else { return false }
        body(VerifiedBytes(algorithm: match.algorithm, key: match.key, header: header, payload: payload))
        return true
    }
}
