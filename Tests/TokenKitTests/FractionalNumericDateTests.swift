import Testing
@testable import TokenKit

@Suite("Fractional NumericDates compare exactly with a whole-second clock")
struct FractionalNumericDateTests {
    static func check(_ json: String, now: Int64) -> TokenError.Code? {
        do {
            let object = try JSONParser.parseObject(Array(json.utf8), what: "payload", code: .malformed)
            try ClaimRequirements(now: now).check(header: JSONObject(), claims: JWTClaims(object))
            return nil
        } catch let error as TokenError {
            return error.code
        } catch {
            return .backendFailure
        }
    }

    @Test("exp, nbf and iat with a fraction")
    func fractions() {
        #expect(Self.check(#"{"exp":100.5}"#, now: 100) == nil)
        #expect(Self.check(#"{"exp":100.5}"#, now: 101) == .expired)
        #expect(Self.check(#"{"exp":200,"nbf":100.5}"#, now: 100) == .notYetValid)
        #expect(Self.check(#"{"exp":200,"nbf":100.5}"#, now: 101) == nil)
        #expect(Self.check(#"{"exp":200,"iat":100.5}"#, now: 100) == .issuedInFuture)
        #expect(Self.check(#"{"exp":200,"iat":100.5}"#, now: 101) == nil)
        #expect(JWTClaims.numericDate(of: .number(JSONNumber(validatedText: "100.5")), rounding: .up) == 101)
        #expect(JWTClaims.numericDate(of: .number(JSONNumber(validatedText: "100.5"))) == 100)
    }
}
