#!/bin/sh
# Regenerates the key fixtures of this folder with the openssl command line (OpenSSL 3).
# Test keys only: never use them for anything else.
set -eu
cd "$(dirname "$0")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pkcs8.pem
openssl pkey -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem
openssl pkey -in rsa2048.pkcs8.pem -pubout -out rsa2048.spki.pem
openssl rsa -in rsa2048.pkcs8.pem -RSAPublicKey_out -out rsa2048.pkcs1-public.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.pkcs8.pem
openssl pkey -in p256.pkcs8.pem -traditional -out p256.sec1.pem
openssl pkey -in p256.pkcs8.pem -pubout -out p256.spki.pem
# SEC1 with a leading EC PARAMETERS block, as `openssl ecparam -genkey` writes it.
openssl ecparam -name secp384r1 -genkey -out p384.ecparam-sec1.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.pkcs8.pem
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl pkey -in ed25519.pkcs8.pem -pubout -out ed25519.spki.pem
openssl genpkey -algorithm ED448 -out ed448.pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in p256.pkcs8.pem -passout pass:fixture-password -out p256.encrypted.pem
# Legacy PEM encryption (Proc-Type: 4,ENCRYPTED) of a SEC1 key.
openssl pkey -in p256.pkcs8.pem -traditional -aes256 -passout pass:fixture-password -out p256.sec1-encrypted.pem
openssl req -x509 -new -key p256.pkcs8.pem -subj "/CN=tokenctl test" -days 36500 -out p256.cert.pem
openssl genpkey -algorithm X25519 -out x25519.pkcs8.pem
# Signatures over message.txt made by openssl dgst.
printf 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0b2tlbmN0bCJ9' > message.txt
openssl dgst -sha256 -sign rsa2048.pkcs8.pem -out message.rs256.sig message.txt
openssl dgst -sha256 -sign rsa2048.pkcs8.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -out message.ps256.sig message.txt
# PS256 with a 20-byte salt: valid RSA-PSS, but JWS requires salt length = hash length.
openssl dgst -sha256 -sign rsa2048.pkcs8.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20 \
    -out message.ps256-salt20.sig message.txt
openssl dgst -sha256 -sign p256.pkcs8.pem -out message.es256.der.sig message.txt
openssl pkeyutl -sign -rawin -inkey ed25519.pkcs8.pem -in message.txt -out message.ed25519.sig
# ES256: DER ECDSA-Sig-Value -> raw R||S (JWS form).
python3 - <<'PY'
der = open("message.es256.der.sig", "rb").read()
def read_int(data, i):
    assert data[i] == 0x02
    n = data[i + 1]
    return int.from_bytes(data[i + 2:i + 2 + n], "big"), i + 2 + n
assert der[0] == 0x30
r, i = read_int(der, 2)
s, _ = read_int(der, i)
open("message.es256.raw.sig", "wb").write(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
PY
