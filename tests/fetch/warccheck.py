#!/usr/bin/env python3
"""An independent WARC 1.1 checker for the fetch tests (not sheaf's reader).

Usage: warccheck.py FILE.warc.gz
Reads every gzip member as one record, checks the WARC header, the
Content-Length, WARC-Block-Digest and (for HTTP responses) WARC-Payload-
Digest, that every request and response names its partner with
WARC-Concurrent-To, and prints one line per record:
    TYPE <TAB> STATUS <TAB> URI
(STATUS is the HTTP status of responses and revisits, "-" otherwise).
Exits 1 on the first inconsistency, with a message.
"""
import base64
import hashlib
import sys
import zlib


def members(data):
    pos = 0
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data[pos:])
        out += d.flush()
        if not d.eof:
            sys.exit("warccheck: truncated gzip member at %d" % pos)
        yield pos, out
        pos = len(data) - len(d.unused_data)


def label(b):
    return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()


def main():
    data = open(sys.argv[1], "rb").read()
    ids, links = {}, []
    for off, rec in members(data):
        head, sep, rest = rec.partition(b"\r\n\r\n")
        if not sep:
            sys.exit("warccheck: no header end at %d" % off)
        lines = head.decode("utf-8").split("\r\n")
        if lines[0] != "WARC/1.1":
            sys.exit("warccheck: not WARC/1.1 at %d: %r" % (off, lines[0]))
        f = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            f[k.strip().lower()] = v.strip()
        n = int(f["content-length"])
        block = rest[:n]
        if len(block) != n or rest[n:] != b"\r\n\r\n":
            sys.exit("warccheck: Content-Length or record end wrong at %d" % off)
        for k in ("warc-record-id", "warc-date", "warc-type"):
            if k not in f:
                sys.exit("warccheck: %s missing at %d" % (k, off))
        if f.get("warc-block-digest") != label(block):
            sys.exit("warccheck: block digest mismatch at %d (%s)" % (off, f.get("warc-target-uri")))
        t = f["warc-type"]
        status = "-"
        if t in ("response", "revisit") and f.get("content-type", "").startswith("application/http"):
            status = block.split(b" ", 2)[1].decode()
            body = block.partition(b"\r\n\r\n")[2]
            if t == "response" and f.get("warc-payload-digest") != label(body):
                sys.exit("warccheck: payload digest mismatch at %d" % off)
        if t in ("request", "response"):
            if "warc-concurrent-to" not in f:
                sys.exit("warccheck: %s without WARC-Concurrent-To at %d" % (t, off))
            links.append((f["warc-record-id"], f["warc-concurrent-to"]))
        if t == "revisit" and not (f.get("warc-refers-to") and f.get("warc-profile", "").endswith("server-not-modified")):
            sys.exit("warccheck: revisit without WARC-Refers-To or profile at %d" % off)
        ids[f["warc-record-id"]] = t
        print("%s\t%s\t%s" % (t, status, f.get("warc-target-uri", "-")))
    for a, b in links:
        if b not in ids:
            sys.exit("warccheck: WARC-Concurrent-To %s names no record" % b)


if __name__ == "__main__":
    main()
