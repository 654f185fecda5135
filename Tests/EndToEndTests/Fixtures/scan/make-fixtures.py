#!/usr/bin/env python3
"""Builds the --scan fixtures (run from this folder after `swift build`):
a curl -v transcript, an OAuth token response, a log file and a HAR file holding the same
five tokens in known places. The tokens are signed with ../keys/p256.pem (ES256) and
../keys/hs256.secret (HS256) at iat 1800000000, valid for 7 days; E is A with its
signature segment cut off (not a JWT). tokens.txt lists them, one `NAME TOKEN` a line."""
import json, subprocess

BIN = "../../../../.build/debug/tokenctl"
def sign(*args):
    return subprocess.run([BIN, "sign", "--iat", "1800000000", "--exp", "7d", *args],
                          check=True, capture_output=True, text=True).stdout.strip()

A = sign("--key", "../keys/p256.pem", "--iss", "https://auth.example.com", "--sub", "alice", "--aud", "api",
         "--claims", '{"scope":"orders:read orders:write"}')
B = sign("--key", "../keys/p256.pem", "--iss", "https://auth.example.com", "--sub", "alice", "--aud", "web",
         "--claims", '{"email":"alice@example.com","name":"Alice Example"}')
C = sign("--key", "../keys/p256.pem", "--iss", "https://auth.example.com", "--sub", "alice", "--typ", "refresh+jwt")
D = sign("--secret-file", "../keys/hs256.secret", "--iss", "https://app.example.com", "--sub", "alice",
         "--claims", '{"sid":"s-1234"}')
E = A.rsplit(".", 1)[0]

with open("tokens.txt", "w") as f:
    for name, token in [("A", A), ("B", B), ("C", C), ("D", D), ("E", E)]:
        f.write(f"{name} {token}\n")

with open("curl-v.txt", "w") as f:
    f.write(f"""*   Trying 127.0.0.1:443...
* Connected to api.example.com (127.0.0.1) port 443
> GET /v1/orders?limit=10 HTTP/1.1
> Host: api.example.com
> User-Agent: curl/8.5.0
> Accept: */*
> Authorization: Bearer {A}
> Cookie: theme=dark; session={D}; csrf=abc123
>
< HTTP/1.1 200 OK
< content-type: application/json
< set-cookie: session={D}; Path=/; Secure; HttpOnly; SameSite=Lax
< x-request-id: 7f3a
<
{{"orders":[]}}
* Connection #0 left intact
""")

with open("oauth-response.json", "w") as f:
    json.dump({"access_token": A, "token_type": "Bearer", "expires_in": 900, "refresh_token": C,
               "id_token": B, "scope": "openid profile"}, f, indent=2)
    f.write("\n")

with open("app.log", "w") as f:
    f.write(f"""2026-11-30T10:00:00Z INFO  request started method=GET path=/v1/orders
2026-11-30T10:00:00Z DEBUG auth token={A} user=alice
2026-11-30T10:00:01Z INFO  redirect to https://app.example.com/callback#access_token={A}&token_type=Bearer&id_token={B}
2026-11-30T10:00:02Z WARN  rejected token="{E}" reason=malformed
2026-11-30T10:00:03Z DEBUG upstream response {{"access_token":"{A}","refresh_token":"{C}","expires_in":900}}
2026-11-30T10:00:04Z INFO  GET /login?id_token={B}&state=xyz 302
2026-11-30T10:00:05Z INFO  done; eyJ alone is just text, as is eyJzdWIi without dots
""")

def headers(**pairs):
    return [{"name": k.replace("_", "-"), "value": v} for k, v in pairs.items()]

entries = [
    {"startedDateTime": "2026-11-30T10:00:00.000Z", "time": 12,
     "request": {"method": "GET", "url": "https://app.example.com/", "httpVersion": "HTTP/2",
                 "headers": headers(Host="app.example.com", Cookie=f"theme=dark; session={D}"),
                 "queryString": [], "cookies": [{"name": "theme", "value": "dark"}, {"name": "session", "value": D}],
                 "headersSize": -1, "bodySize": 0},
     "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/2",
                  "headers": headers(Content_Type="text/html",
                                     Set_Cookie=f"session={D}; Path=/; Secure; HttpOnly; SameSite=Lax"),
                  "cookies": [{"name": "session", "value": D, "path": "/", "httpOnly": True, "secure": True}],
                  "content": {"size": 15, "mimeType": "text/html", "text": "<html></html>"},
                  "redirectURL": "", "headersSize": -1, "bodySize": 15},
     "cache": {}, "timings": {"send": 1, "wait": 10, "receive": 1}},
    {"startedDateTime": "2026-11-30T10:00:01.000Z", "time": 40,
     "request": {"method": "POST", "url": "https://auth.example.com/oauth/token", "httpVersion": "HTTP/2",
                 "headers": headers(Host="auth.example.com", Content_Type="application/x-www-form-urlencoded"),
                 "queryString": [], "cookies": [],
                 "postData": {"mimeType": "application/x-www-form-urlencoded",
                              "text": "grant_type=authorization_code&code=xyz",
                              "params": [{"name": "grant_type", "value": "authorization_code"},
                                         {"name": "code", "value": "xyz"}]},
                 "headersSize": -1, "bodySize": 38},
     "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/2",
                  "headers": headers(Content_Type="application/json", Cache_Control="no-store"), "cookies": [],
                  "content": {"size": 900, "mimeType": "application/json",
                              "text": json.dumps({"access_token": A, "token_type": "Bearer", "expires_in": 900,
                                                  "refresh_token": C, "id_token": B})},
                  "redirectURL": "", "headersSize": -1, "bodySize": 900},
     "cache": {}, "timings": {"send": 1, "wait": 38, "receive": 1}},
    {"startedDateTime": "2026-11-30T10:00:02.000Z", "time": 20,
     "request": {"method": "GET", "url": "https://auth.example.com/authorize?response_type=id_token&client_id=web",
                 "httpVersion": "HTTP/2", "headers": headers(Host="auth.example.com"),
                 "queryString": [{"name": "response_type", "value": "id_token"}, {"name": "client_id", "value": "web"}],
                 "cookies": [], "headersSize": -1, "bodySize": 0},
     "response": {"status": 302, "statusText": "Found", "httpVersion": "HTTP/2",
                  "headers": headers(Location=f"https://app.example.com/callback#id_token={B}&state=s1"),
                  "cookies": [], "content": {"size": 0, "mimeType": "text/html"},
                  "redirectURL": f"https://app.example.com/callback#id_token={B}&state=s1",
                  "headersSize": -1, "bodySize": 0},
     "cache": {}, "timings": {"send": 1, "wait": 18, "receive": 1}},
    {"startedDateTime": "2026-11-30T10:00:03.000Z", "time": 30,
     "request": {"method": "GET", "url": "https://api.example.com/v1/me", "httpVersion": "HTTP/2",
                 "headers": headers(Host="api.example.com", Authorization=f"Bearer {A}"),
                 "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
     "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/2",
                  "headers": headers(Content_Type="application/json"), "cookies": [],
                  "content": {"size": 17, "mimeType": "application/json", "text": "{\"name\":\"Alice\"}"},
                  "redirectURL": "", "headersSize": -1, "bodySize": 17},
     "cache": {}, "timings": {"send": 1, "wait": 28, "receive": 1}},
]
har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
               "pages": [{"startedDateTime": "2026-11-30T10:00:00.000Z", "id": "page_1", "title": "Example",
                          "pageTimings": {"onContentLoad": 100, "onLoad": 200}}],
               "entries": entries}}
with open("session.har", "w") as f:
    json.dump(har, f, indent=2)
    f.write("\n")
