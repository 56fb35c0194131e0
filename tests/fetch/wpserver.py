#!/usr/bin/env python3
"""A simulated WordPress site on loopback, for the tests of `sheaf fetch`.

It serves, on 127.0.0.1 and a port it picks (written to --port-file):
  /robots.txt                disallows /private/ (and sets a Crawl-delay of 0)
  /tag/archiving/            a tag page announcing its feed (<link rel=alternate>)
  /tag/archiving/feed/       RSS 2.0, full text (content:encoded), 10 items a
                             page, ?paged=N; past the last page a 404
  /tag/notes/, /tag/notes/feed/   the same for an excerpt-only tag
  /YYYY/MM/DD/slug/          article pages (chunked), with lazy images,
                             srcset, <noscript> and <picture>
  /wp-content/uploads/...    JPEG, PNG and WebP images; one old URL answers
                             301, one 404, one 429 with Retry-After once, one
                             stalls past any sensible timeout
Feeds are gzip-compressed when the client accepts it; every response carries
an ETag and a Last-Modified and answers conditional requests with 304.

A second server on 127.0.0.2 (same port) only logs: one image points there,
and a client that refuses loopback addresses it was not given never calls.

--round 2 adds one post (the site a day later). Each request is logged as
"conn=ID host=H METHOD PATH STATUS BYTES" and every connection's open and
close with the number open at once, so the test can check politeness.
The server exits after --lifetime seconds or --max-requests requests.
"""
import argparse
import gzip
import hashlib
import os
import socket
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

BASE_TIME = 1700000000  # 2023-11-14: every resource's Last-Modified


class Site:
    def __init__(self, posts, round_, srcdir, plain=False, big=0):
        self.round = round_
        self.plain = plain  # no troublesome endpoints: for the benchmark
        # 35 posts tagged archiving (full text in the feed), then 6 tagged
        # notes only (an excerpt-only feed); round 2 adds one archiving post.
        self.nposts = posts + 6 + (1 if round_ >= 2 else 0)
        self.narch = posts
        jpeg = open(os.path.join(srcdir, "tests/fixtures/images/wxr/uploads/2023/02/header.jpg"), "rb").read()
        self.jpeg = jpeg
        self.files = {}
        self.posts = []
        for i in range(1, self.nposts + 1):
            day = 1 + (i - 1) % 28
            month = 1 + (i - 1) // 28
            slug = "post-%02d" % i
            path = "/2024/%02d/%02d/%s/" % (month, day, slug)
            tags = ["notes"] if self.narch < i <= self.narch + 6 else ["archiving"]
            self.posts.append({"i": i, "slug": slug, "path": path, "tags": tags,
                               "date": BASE_TIME + i * 86400})
            up = "/wp-content/uploads/2024/%02d/" % month
            # A JPEG offered in four widths by srcset: the client picks 1024w.
            for w in (300, 768, 1024, 2048):
                self.files[up + "photo-%02d-%d.jpg" % (i, w)] = ("image/jpeg", self.jpg("%d-%d" % (i, w)))
            # A PNG behind a lazy-loading plugin (data-src, <noscript> copy).
            self.files[up + "chart-%02d.png" % i] = ("image/png", png(8 + i, 4 + i % 5))
        self.files["/wp-content/uploads/2024/01/moved.png"] = ("image/png", png(20, 10))
        self.files["/wp-content/uploads/2024/01/busy.png"] = ("image/png", png(21, 11))
        self.files["/wp-content/uploads/2024/01/pic.webp"] = ("image/webp", WEBP)
        self.files["/private/secret.png"] = ("image/png", png(22, 12))
        self.busy_seen = set()
        if big:
            # One large image (post 1's chart), to show responses stream.
            blob = bytes(range(256)) * (big // 256 + 1)
            self.files["/wp-content/uploads/2024/01/chart-01.png"] = ("image/png", png(16, 16) + blob[:big])

    def jpg(self, label):
        com = b"sheaf-test " + label.encode()
        return self.jpeg[:2] + b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com + self.jpeg[2:]

    def tagged(self, tag):
        return [p for p in reversed(self.posts) if tag in p["tags"]]

    def body(self, p, host):
        i = p["i"]
        up = "/wp-content/uploads/2024/%02d/" % (1 + (i - 1) // 28)
        base = "http://%s" % host
        s = ["<p>Post number %d of the simulated site; its text is long enough "
             "to be a post, and unique: marker-%02d.</p>" % (i, i)]
        srcset = ", ".join("%s%sphoto-%02d-%d.jpg %dw" % (base, up, i, w, w) for w in (300, 768, 1024, 2048))
        s.append('<figure><img src="%s%sphoto-%02d-768.jpg" srcset="%s" '
                 'sizes="(max-width: 768px) 100vw" alt="Photo %d" width="768"/></figure>'
                 % (base, up, i, srcset, i))
        s.append('<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
                 'data-src="%s%schart-%02d.png" class="lazyload" alt="Chart %d"/>'
                 '<noscript><img src="%s%schart-%02d.png" alt="Chart %d"/></noscript></p>'
                 % (up, "", i, i, up, "", i, i))
        if self.plain:
            return "\n".join(s)
        if i == 3:
            s.append('<p><img src="/old/moved.png" alt="Moved"/></p>')
            s.append('<p><img src="/wp-content/uploads/2024/01/gone.png" alt="Gone"/></p>')
        if i == 4:
            s.append('<p><img src="/wp-content/uploads/2024/01/busy.png" alt="Busy"/></p>')
            s.append('<p><img src="/wp-content/uploads/2024/01/pic.webp" alt="WebP"/></p>')
        if i == 5:
            s.append('<p><img src="/slow/stall.jpg" alt="Slow"/></p>')
            s.append('<p><img src="/private/secret.png" alt="Private"/></p>')
            s.append('<p><img src="http://127.0.0.2:%s/wp-content/uploads/2024/01/moved.png" '
                     'alt="Elsewhere"/></p>' % host.split(":")[1])
        return "\n".join(s)

    def feed(self, tag, page, host):
        items = self.tagged(tag)
        per = 10
        chunk = items[(page - 1) * per:page * per]
        if page > 1 and not chunk:
            return None
        link = "http://%s/tag/%s/" % (host, tag)
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
               'xmlns:atom="http://www.w3.org/2005/Atom">',
               "<channel><title>Simulated site &#187; %s</title>" % tag,
               '<atom:link href="%sfeed/" rel="self" type="application/rss+xml"/>' % link,
               "<link>%s</link><description>A test site</description>" % link,
               "<language>en-US</language><generator>https://wordpress.org/?v=6.4.2</generator>"]
        for p in chunk:
            url = "http://%s%s" % (host, p["path"])
            out.append("<item><title>Post %02d</title><link>%s</link>" % (p["i"], url))
            out.append('<guid isPermaLink="false">%s?p=%d</guid>' % ("http://%s/" % host, p["i"]))
            out.append("<pubDate>%s</pubDate>" % formatdate(p["date"], usegmt=True))
            for t in p["tags"]:
                out.append("<category><![CDATA[%s]]></category>" % t)
            if tag == "notes":
                out.append("<description><![CDATA[Post number %d of the simulated site "
                           "[&#8230;]]]></description>" % p["i"])
            else:
                out.append("<description><![CDATA[Post number %d [&#8230;]]]></description>" % p["i"])
                out.append("<content:encoded><![CDATA[%s]]></content:encoded>" % self.body(p, host))
            out.append("</item>")
        out.append("</channel></rss>")
        return "\n".join(out).encode()

    def page(self, p, host):
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>Post %02d &#8211; Simulated site</title>"
                '<meta name="generator" content="WordPress 6.4.2"/></head><body>'
                "<header><nav><a href=\"/\">Home</a></nav></header>"
                "<article><h1 class=\"entry-title\">Post %02d</h1>"
                "<div class=\"entry-content\">%s</div></article>"
                "<footer>Simulated site</footer></body></html>"
                % (p["i"], p["i"], self.body(p, host))).encode()

    def tag_page(self, tag, host):
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                '<meta name="generator" content="WordPress 6.4.2"/>'
                '<link rel="alternate" type="application/rss+xml" title="Simulated &#187; %s Feed" '
                'href="http://%s/tag/%s/feed/"/></head><body><h1>%s</h1></body></html>'
                % (tag, tag, host, tag, tag)).encode()


WEBP = bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111888" "8fe0700")


def png(w, h):
    import struct
    import zlib

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(v for x in range(w)
                                    for v in ((x * 7 + y * 3) & 255, (x * 11) & 255, (w * h) & 255))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1)
        self.conn_seq = 0
        self.open = 0
        self.max_open = 0
        self.requests = 0
        self.args = args
        self.site = Site(args.posts, args.round, args.srcdir, args.plain, args.big)
        self.stop = threading.Event()

    def write(self, line):
        with self.lock:
            self.log.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wpsim/1.0"
    timeout = 30

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's
        # algorithm and the client's delayed ACK add 40 ms to each answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        st = self.server.state
        with st.lock:
            st.conn_seq += 1
            self.conn = st.conn_seq
            st.open += 1
            st.max_open = max(st.max_open, st.open)
            n = st.open
        st.write("open conn=%d host=%s open=%d" % (self.conn, self.server.name, n))

    def finish(self):
        try:
            super().finish()
        finally:
            st = self.server.state
            with st.lock:
                st.open -= 1
                n = st.open
            st.write("close conn=%d open=%d" % (self.conn, n))

    def log_message(self, fmt, *a):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=UTF-8", extra=None,
             chunked=False, etag=None, gz=False):
        st = self.server.state
        self.send_response(status)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if status == 200 or status == 304:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(BASE_TIME, usegmt=True))
        if status != 304:
            self.send_header("Content-Type", ctype)
        if gz and status == 200:
            body = gzip.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if chunked and status == 200:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 700):
                part = body[i:i + 700]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)
        st.write("conn=%d host=%s %s %s %d %d" % (self.conn, self.server.name, self.command,
                                                  self.path, status, len(body)))

    def do_GET(self):
        st = self.server.state
        with st.lock:
            st.requests += 1
            over = st.requests > st.args.max_requests
        if over:
            st.stop.set()
            self.close_connection = True
            self.send(503, b"too many requests for a test\n", "text/plain", {"Connection": "close"})
            return
        site = st.site
        host = self.headers.get("Host", "127.0.0.1")
        url = urlsplit(self.path)
        path, q = url.path, parse_qs(url.query)
        if self.server.name != "127.0.0.1":
            self.send(404, b"not here\n", "text/plain")
            return
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "")
        body, ctype, chunked = None, "text/html; charset=UTF-8", False
        if path == "/robots.txt":
            body, ctype = (b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n\n"
                           b"User-agent: BadBot\nDisallow: /\n", "text/plain")
        elif path == "/old/moved.png":
            self.send(301, b"", extra={"Location": "/wp-content/uploads/2024/01/moved.png"})
            return
        elif path == "/slow/stall.jpg":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"\xff\xd8")
            self.wfile.flush()
            st.write("conn=%d host=%s GET %s stall" % (self.conn, self.server.name, self.path))
            st.stop.wait(min(20, st.args.lifetime))
            self.close_connection = True
            return
        elif path == "/wp-content/uploads/2024/01/busy.png" and self.path not in site.busy_seen:
            site.busy_seen.add(self.path)
            self.send(429, b"slow down\n", "text/plain", {"Retry-After": "1"})
            return
        elif path in site.files:
            ctype, body = site.files[path]
        else:
            parts = [x for x in path.split("/") if x]
            if len(parts) >= 2 and parts[0] == "tag" and parts[1] in ("archiving", "notes"):
                if len(parts) == 2:
                    body = site.tag_page(parts[1], host)
                elif len(parts) == 3 and parts[2] == "feed":
                    page = int(q.get("paged", ["1"])[0] or 1)
                    body = site.feed(parts[1], page, host)
                    ctype = "application/rss+xml; charset=UTF-8"
            else:
                for p in site.posts:
                    if p["path"] == path:
                        body, chunked = site.page(p, host), True
                        gz = False
        if body is None:
            self.send(404, b"<html><body>Not found</body></html>")
            return
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send(304, etag=etag)
            return
        compress = gz and (ctype.startswith("application/rss") or ctype.startswith("text/html"))
        self.send(200, body, ctype, chunked=chunked, etag=etag, gz=compress)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port", type=int, default=0, help="0: pick a free one")
    ap.add_argument("--posts", type=int, default=35)
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--plain", action="store_true", help="no 301/404/429/stall/robots cases")
    ap.add_argument("--big", type=int, default=0, help="bytes of one large image")
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--max-requests", type=int, default=2000)
    ap.add_argument("--srcdir", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = ap.parse_args()
    state = State(args)
    servers = []
    first = Server(("127.0.0.1", args.port), Handler)
    port = first.server_address[1]
    servers.append(first)
    try:
        servers.append(Server(("127.0.0.2", port), Handler))
    except OSError as e:
        print("wpserver: cannot listen on 127.0.0.2: %s" % e, file=sys.stderr)
    for s, name in zip(servers, ("127.0.0.1", "127.0.0.2")):
        s.state = state
        s.name = name
        threading.Thread(target=s.serve_forever, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.port_file)
    state.stop.wait(args.lifetime)
    state.write("max-open %d" % state.max_open)
    for s in servers:
        s.shutdown()


if __name__ == "__main__":
    main()
