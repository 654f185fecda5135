#!/usr/bin/env python3
"""Make Tests/TokenKitTests/Vectors/interop/: tokens signed by PyJWT, with their keys.

Run by hand, once (the tests never run it; they read the committed output):

    pip install pyjwt cryptography
    python3 scripts/make-interop-fixtures.py [OUTPUT_DIR]

For every algorithm tokenctl supports it writes, with ID such as "rs256" or "eddsa-ed448":

    ID.jwt              a compact JWS signed by PyJWT
    ID.public.pem       SPKI public key (asymmetric keys)
    ID.private.pem      PKCS#8 private key (asymmetric keys; test data only)
    ID.jwk.json         the verification JWK: public for asymmetric keys, the oct secret for HS*
    manifest.json       {"generator", "claims", "cases": [{"id", "alg", "kid", "files"...}]}

The keys are fresh random test keys: public test data, never to be used for anything else.
"""

import json
import os
import sys

import cryptography
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

# Fixed claims: exp far in the future (2100-01-01), iat/nbf in the past (2023-11-14).
CLAIMS = {
    "iss": "https://pyjwt.interop.example",
    "sub": "interop-subject",
    "aud": ["tokenctl", "other-audience"],
    "iat": 1700000000,
    "nbf": 1700000000,
    "exp": 4102444800,
    "jti": "interop-jti-0001",
    "name": "Zoë Ünïcode ✓",
    "roles": ["reader", "writer"],
    "n": 1.5e3,
}

# (id, alg, key factory); HMAC secrets are as long as the hash.
CASES = [
    ("hs256", "HS256", lambda: os.urandom(32)),
    ("hs384", "HS384", lambda: os.urandom(48)),
    ("hs512", "HS512", lambda: os.urandom(64)),
    ("rs256", "RS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ("rs384", "RS384", lambda: rsa.generate_private_key(public_exponent=65537, key_size=3072)),
    ("rs512", "RS512", lambda: rsa.generate_private_key(public_exponent=65537, key_size=4096)),
    ("ps256", "PS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ("ps384", "PS384", lambda: rsa.generate_private_key(public_exponent=65537, key_size=3072)),
    ("ps512", "PS512", lambda: rsa.generate_private_key(public_exponent=65537, key_size=4096)),
    ("es256", "ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
    ("es384", "ES384", lambda: ec.generate_private_key(ec.SECP384R1())),
    ("es512", "ES512", lambda: ec.generate_private_key(ec.SECP521R1())),
    ("es256k", "ES256K", lambda: ec.generate_private_key(ec.SECP256K1())),
    ("eddsa-ed25519", "EdDSA", lambda: ed25519.Ed25519PrivateKey.generate()),
    ("eddsa-ed448", "EdDSA", lambda: ed448.Ed448PrivateKey.generate()),
]


def public_jwk(key, alg):
    """The verification JWK, as PyJWT writes it."""
    if isinstance(key, bytes):
        return json.loads(HMACAlgorithm.to_jwk(key))
    public = key.public_key()
    if isinstance(key, rsa.RSAPrivateKey):
        return json.loads(RSAAlgorithm.to_jwk(public))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return json.loads(ECAlgorithm.to_jwk(public))
    return json.loads(OKPAlgorithm.to_jwk(public))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests/TokenKitTests/Vectors/interop")
    os.makedirs(out, exist_ok=True)
    cases = []
    for case_id, alg, make_key in CASES:
        key = make_key()
        kid = "pyjwt-" + case_id
        files = {"token": case_id + ".jwt", "jwk": case_id + ".jwk.json"}
        jwk = public_jwk(key, alg)
        jwk["kid"] = kid
        jwk["alg"] = alg
        if not isinstance(key, bytes):
            files["publicPEM"] = case_id + ".public.pem"
            files["privatePEM"] = case_id + ".private.pem"
            with open(os.path.join(out, files["publicPEM"]), "wb") as f:
                f.write(key.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
            with open(os.path.join(out, files["privatePEM"]), "wb") as f:
                f.write(key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(os.path.join(out, files["jwk"]), "w") as f:
            json.dump(jwk, f, indent=2)
            f.write("\n")
        token = jwt.encode(CLAIMS, key, algorithm=alg, headers={"kid": kid})
        # Check our own output with PyJWT before committing it.
        verification_key = key if isinstance(key, bytes) else key.public_key()
        jwt.decode(token, verification_key, algorithms=[alg], audience="tokenctl", issuer=CLAIMS["iss"])
        with open(os.path.join(out, files["token"]), "w") as f:
            f.write(token + "\n")
        cases.append({"id": case_id, "alg": alg, "kid": kid, "files": files})
        print(f"{case_id}: {alg}, {len(token)} bytes")
    manifest = {
        "generator": f"PyJWT {jwt.__version__}, cryptography {cryptography.__version__} "
                     "(scripts/make-interop-fixtures.py)",
        "claims": CLAIMS,
        "cases": cases,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
