internal import COpenSSL

extension EVPKey {
    /// Checks that an EC private key's scalar d gives its public point: d·G = Q, computed by
    /// OpenSSL's fixed-base multiplication and compared as points. This is the pairwise part
    /// of `EVP_PKEY_pairwise_check`, which in OpenSSL 3.0 also runs the full public-key check
    /// (see ``validate()``). Q is decoded with `EC_POINT_oct2point`, which refuses coordinates
    /// out of range or off the curve: ``validate()`` relies on that instead of OpenSSL's quick
    /// public check, so the comparison must stay one of decoded points, not of encodings.
    ///
    /// - Throws: ``TokenError/Code/malformedKey`` when they differ or cannot be compared.
    func checkECScalarMatchesPoint(_ curve: ECCurve) throws {
        defer { OpenSSLError.clear() }
        let mismatch = TokenError.malformedKey("the private key does not match its public key")
        guard let given = encodedPublicPoint(curve), let scalar = EVPKey.bignumParameter(pointer, "priv") else {
            throw mismatch
        }
        defer { BN_clear_free(scalar) }
        BN_set_flags(scalar, BN_FLG_CONSTTIME)  // as OpenSSL marks a key's own scalar
        guard let group = CurveGroup.of(curve).pointer else { throw OpenSSLError.backendFailure("EC_GROUP_new_by_curve_name") }
        guard let derived = EC_POINT_new(group) else { throw OpenSSLError.backendFailure("EC_POINT_new") }
        defer { EC_POINT_clear_free(derived) }
        guard let point = EC_POINT_new(group) else { throw OpenSSLError.backendFailure("EC_POINT_new") }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, derived, scalar, nil, nil, nil) == 1 else { throw OpenSSLError.backendFailure("EC_POINT_mul") }
        guard EC_POINT_oct2point(group, point, given, given.count, nil) == 1,
            EC_POINT_cmp(group, derived, point, nil) == 0
        else { throw mismatch }
    }

    /// The public point's coordinates, each padded to the curve's size: split from the
    /// uncompressed encoding (one parameter read), else read one by one (`qx`, `qy`).
    func ecCoordinates(_ curve: ECCurve) -> (x: [UInt8], y: [UInt8])? {
        let size = curve.coordinateByteCount
        if let point = encodedPublicPoint(curve), point.count == 1 + 2 * size, point[0] == 0x04 {
            return (Array(point[1...size]), Array(point[(size + 1)...]))
        }
        guard let x = bignumBytes("qx", padTo: size), let y = bignumBytes("qy", padTo: size) else { return nil }
        return (x, y)
    }

    /// The encoded public point (`pub`), `nil` when absent: one read into room for the
    /// longest, uncompressed, encoding on `curve`.
    private func encodedPublicPoint(_ curve: ECCurve) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 1 + 2 * curve.coordinateByteCount)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(pointer, "pub", &bytes, bytes.count, &length) == 1, length > 0 else { return nil }
        return Array(bytes.prefix(length))
    }
}
