#!/bin/sh
# Verify tokens signed by TokenKit with an independent implementation (PyJWT). Run by hand;
# it builds nothing. First export the tokens, then check them:
#
#   TOKENCTL_EXPORT_INTEROP=/tmp/tokenkit-interop swift test --filter InteropExport
#   scripts/interop-check.sh /tmp/tokenkit-interop
#
# Needs python3 with PyJWT 2.x and cryptography (pip install pyjwt cryptography).
# Exit status: 0 when every token verifies (from its JWK and from its PEM), 1 otherwise,
# 2 on a usage error.
set -eu

if [ $# -ne 1 ] || [ ! -f "$1/manifest.json" ]; then
    echo "usage: $0 DIR   (DIR holds manifest.json written by the InteropExport test; see the header)" >&2
    exit 2
fi

exec python3 - "$1" <<'PYTHON'
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

directory = sys.argv[1]
with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
    manifest = json.load(f)
expected = manifest["claims"]
passed = 0
notes = []
for case in manifest["cases"]:
    files = case["files"]
    with open(os.path.join(directory, files["token"])) as f:
        token = f.read().strip()
    with open(os.path.join(directory, files["jwk"])) as f:
        jwk = json.load(f)
    keys = [("JWK", jwt.PyJWK(jwk, algorithm=case["alg"]).key)]
    try:
        jwt.PyJWK(jwk)  # as a JWKS consumer would load it: by the JWK's own "alg"
    except jwt.PyJWKError as error:
        notes.append(f"{case['id']}: PyJWT cannot load the JWK by its own alg {jwk.get('alg')!r} ({error})")
    if "publicPEM" in files:
        with open(os.path.join(directory, files["publicPEM"]), "rb") as f:
            keys.append(("PEM", load_pem_public_key(f.read())))
    failures = []
    for form, key in keys:
        try:
            claims = jwt.decode(token, key, algorithms=[case["alg"]], audience="tokenctl", issuer=expected["iss"])
            header = jwt.get_unverified_header(token)
            if claims != expected:
                failures.append(f"{form}: claims differ: {claims!r}")
            elif header.get("kid") != case["kid"] or header.get("alg") != case["alg"]:
                failures.append(f"{form}: header {header!r}")
        except Exception as error:  # report every failure, whatever PyJWT raises
            failures.append(f"{form}: {type(error).__name__}: {error}")
    status = "ok" if not failures else "FAIL " + "; ".join(failures)
    print(f"{case['id']:14} {case['alg']:7} {status}")
    passed += not failures
for note in notes:
    print("note:", note)
total = len(manifest["cases"])
print(f"{passed}/{total} of TokenKit's tokens verify in PyJWT {jwt.__version__} ({manifest['generator']})")
sys.exit(0 if passed == total else 1)
PYTHON
