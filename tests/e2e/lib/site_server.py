"""A tiny loopback web site for the WARC tests: serves the files under ROOT
on 127.0.0.1 at a port the OS picks (written to PORTFILE), for at most
LIFETIME seconds. Feeds (.rss) go out gzip-compressed in chunked transfer
coding, so a client's capture holds both codings; ROOT/.redirects holds
"PATH TARGET" lines answered with 301; everything else missing is a 404.

    python3 site_server.py ROOT PORTFILE [LIFETIME]
"""
import gzip
import http.server
import os
import sys
import threading

ROOT, PORTFILE = sys.argv[1], sys.argv[2]
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
REDIRECTS = {}
if os.path.exists(os.path.join(ROOT, ".redirects")):
    for line in open(os.path.join(ROOT, ".redirects")):
        if line.strip():
            src, dst = line.split()
            REDIRECTS[src] = dst
TYPES = {".rss": "application/rss+xml", ".html": "text/html; charset=utf-8",
         ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        local = os.path.normpath(os.path.join(ROOT, path.lstrip("/")))
        if local.startswith(os.path.abspath(ROOT)) and os.path.isdir(local):
            local = os.path.join(local, "index.html")
        if not local.startswith(os.path.abspath(ROOT)) or not os.path.isfile(local):
            body = b"<html><body>not found</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        data = open(local, "rb").read()
        ext = os.path.splitext(local)[1]
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
        if ext == ".rss":
            data = gzip.compress(data)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 1000):
                piece = data[i:i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
threading.Timer(LIFETIME, server.shutdown).start()
server.serve_forever()
