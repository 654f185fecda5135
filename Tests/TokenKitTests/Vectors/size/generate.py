"""Regenerate pyjwt-tokens.json: tokens signed by PyJWT, an implementation independent of
tokenctl, with the byte counts PyJWT's own output has. See README.md."""

import base64
import json

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

IAT = 1767225600

ASCII_CLAIMS = {
    "sub": "user-8f14e45f",
    "iss": "https://auth.example.com",
    "aud": ["api", "web"],
    "iat": IAT,
    "exp": IAT + 900,
    "roles": ["admin", "editor"],
    "email": "alice@example.com",
    "org": {"id": 42, "teams": [1, 2, {"lead": None}]},
    "note": 'quote " backslash \\ newline \n tab \t',
}

# PyJWT writes non-ASCII text as \uXXXX escapes (json.dumps ensure_ascii), unlike tokenctl:
# claim costs of this token must be measured on its own bytes.
UNICODE_CLAIMS = {
    "sub": "user-8f14e45f",
    "name": "Zoë Ünïcode ✓",
    "exp": IAT + 900,
    "emoji": "😀",
}


def b64len(n):
    return (n * 4 + 2) // 3


def dumps(claims):
    return json.dumps(claims, separators=(",", ":")).encode()


def costs(claims):
    total = b64len(len(dumps(claims)))
    out = []
    for name in claims:
        rest = {k: v for k, v in claims.items() if k != name}
        out.append({"name": name, "bytes": total - b64len(len(dumps(rest)))})
    return out


KID = "k" * 43
cases = [
    ("HS256", b"s" * 32, None, 0, ASCII_CLAIMS),
    ("HS512", b"s" * 64, None, 0, ASCII_CLAIMS),
    ("HS256", b"s" * 32, None, 0, UNICODE_CLAIMS),
    ("RS256", rsa.generate_private_key(65537, 2048), KID, 2048, ASCII_CLAIMS),
    ("PS384", rsa.generate_private_key(65537, 3072), KID, 3072, ASCII_CLAIMS),
    ("ES256", ec.generate_private_key(ec.SECP256R1()), KID, 0, ASCII_CLAIMS),
    ("ES384", ec.generate_private_key(ec.SECP384R1()), KID, 0, ASCII_CLAIMS),
    ("ES512", ec.generate_private_key(ec.SECP521R1()), KID, 0, ASCII_CLAIMS),
    ("EdDSA", ed25519.Ed25519PrivateKey.generate(), KID, 0, ASCII_CLAIMS),
    ("EdDSA", ed448.Ed448PrivateKey.generate(), KID, 0, ASCII_CLAIMS),
]

vectors = []
for alg, key, kid, bits, claims in cases:
    headers = {"kid": kid} if kid else None
    token = jwt.encode(claims, key, algorithm=alg, headers=headers)
    header, payload, signature = token.split(".")
    curve = "Ed448" if isinstance(key, ed448.Ed448PrivateKey) else "Ed25519"
    vectors.append({
        "alg": alg,
        "okp_curve": curve,
        "rsa_modulus_bits": bits,
        "kid": kid,
        "ascii_payload": claims is ASCII_CLAIMS,
        "token": token,
        "total_bytes": len(token),
        "header_bytes": len(header),
        "payload_bytes": len(payload),
        "signature_bytes": len(signature),
        "claims": costs(claims),
    })

with open("pyjwt-tokens.json", "w") as out:
    json.dump({"generator": f"PyJWT {jwt.__version__}", "vectors": vectors}, out, indent=2)
    out.write("\n")
