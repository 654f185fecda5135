#!/usr/bin/env python3
"""Loopback-only HTTP(S) servers and a CONNECT proxy for tokenctl's JWKS fetch tests.

    server.py --root DIR [--tls NAME=CERT:KEY]... [--plain NAME] [--proxy NAME] [--map HOST=IP]...

Every listener binds 127.0.0.1 on a free port; one JSON line {"NAME": port, ...} is printed
on stdout once all listen. The servers run until standard input is closed (the test process
exits). Each request line is appended to DIR/requests.log (and each CONNECT to
DIR/proxy.log), so tests can count fetches.

Paths: files under DIR (404 when missing; Cache-Control from FILE.cache-control when it
exists), /chunked/FILE (the same file, chunked), /stall (never answers), /big (2 MiB,
Content-Length), /big-chunked (2 MiB, chunked), /loop (redirects to itself),
/redirect-to-http (to http://127.0.0.1:<plain port>/jwks.json), /redirect/FILE (to /FILE),
/bad-chunk/SIZE (chunked: a 1-byte chunk, then a chunk whose size line is SIZE, as given).
/plus-length/ (jwks.json with its length written "+N" in Content-Length).
"""
import http.server
import json
import os
import select
import socket
import socketserver
import ssl
import sys
import threading
import time

ROOT = "."
PORTS = {}
HOSTS = {}
LOCK = threading.Lock()


def log(name, line):
    with LOCK:
        with open(os.path.join(ROOT, name), "a") as f:
            f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, body, chunked=False, status=200, cache=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if cache:
            self.send_header("Cache-Control", cache)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 1000):
                part = body[i:i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        log("requests.log", "%s %s" % (self.server.name, self.path))
        path = self.path.split("?")[0]
        if path == "/stall":
            time.sleep(120)
            return
        if path == "/big":
            return self.send_body(b" " * (2 << 20))
        if path == "/big-chunked":
            return self.send_body(b" " * (2 << 20), chunked=True)
        if path.startswith("/bad-chunk/"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"1\r\n{\r\n%s\r\nxxxxx\r\n0\r\n\r\n" % path[len("/bad-chunk/"):].encode())
            return
        if path.startswith("/plus-length/"):
            with open(os.path.join(ROOT, "jwks.json"), "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", "+%d" % len(body))
            self.end_headers()
            self.wfile.write(body)
            return
        if path == "/loop":
            return self.redirect("/loop")
        if path == "/redirect-to-http":
            return self.redirect("http://127.0.0.1:%d/jwks.json" % PORTS["plain"])
        if path.startswith("/redirect/"):
            return self.redirect(path[len("/redirect"):])
        chunked = path.startswith("/chunked/")
        if chunked:
            path = path[len("/chunked"):]
        file = os.path.normpath(os.path.join(ROOT, path.lstrip("/")))
        if not file.startswith(os.path.abspath(ROOT)) or not os.path.isfile(file):
            return self.send_body(b'{"error":"not found"}', status=404)
        with open(file, "rb") as f:
            body = f.read()
        cache = None
        if os.path.isfile(file + ".cache-control"):
            with open(file + ".cache-control") as f:
                cache = f.read().strip()
        self.send_body(body, chunked=chunked, cache=cache)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    context = None
    name = ""

    def handle_error(self, request, client_address):
        pass  # clients that give up (size cap, timeout, refused certificate) are expected

    def finish_request(self, request, client_address):
        if self.context is not None:
            try:
                request.settimeout(10)
                request = self.context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        self.RequestHandlerClass(request, client_address, self)


class Proxy(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass

    class handler(socketserver.BaseRequestHandler):
        def handle(self):
            head = b""
            while b"\r\n\r\n" not in head:
                data = self.request.recv(4096)
                if not data:
                    return
                head += data
            line = head.split(b"\r\n")[0].decode()
            parts = line.split(" ")
            log("proxy.log", line)
            if len(parts) != 3 or parts[0] != "CONNECT":
                self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            host, _, port = parts[1].rpartition(":")
            try:
                upstream = socket.create_connection((HOSTS.get(host, host), int(port)), timeout=10)
            except OSError:
                self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            sockets = [self.request, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    break
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        upstream.close()
                        return
                    (upstream if s is self.request else self.request).sendall(data)


def main():
    global ROOT
    args = sys.argv[1:]
    servers = []
    while args:
        option, value = args[0], args[1]
        args = args[2:]
        if option == "--root":
            ROOT = os.path.abspath(value)
        elif option == "--map":
            host, _, ip = value.partition("=")
            HOSTS[host] = ip
        elif option == "--tls":
            name, _, files = value.partition("=")
            cert, _, key = files.partition(":")
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            server = Server(("127.0.0.1", 0), Handler)
            server.context, server.name = context, name
            servers.append((name, server))
        elif option == "--plain":
            server = Server(("127.0.0.1", 0), Handler)
            server.name = value
            servers.append((value, server))
        elif option == "--proxy":
            servers.append((value, Proxy(("127.0.0.1", 0), Proxy.handler)))
    for name, server in servers:
        PORTS[name] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps(PORTS), flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
