#!/usr/bin/env python3
"""Lists script vectors left in EPUB books: script elements, on* event
handler attributes, javascript:/vbscript:/data:text/html URLs, CSS
expression(), meta refresh and base elements, in every XHTML, OPF, NCX, SVG
and CSS file of each book. Markup is checked as markup (a '<script' in
escaped text is not an offender, since it is not an element); URLs and CSS
are checked in attribute values and style sheets.

Usage: script_check.py BOOK...   Exit 0 when clean, 1 with a list when not."""
import re
import sys
import zipfile

TAG = re.compile(rb"<[A-Za-z][^<>]*>", re.S)
ATTR = re.compile(rb"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*')""", re.S)
BAD_ELEM = re.compile(rb"<\s*(?:[\w-]+:)?(script|base|embed|object|iframe|frame|applet)\b", re.I)
META_REFRESH = re.compile(rb"<\s*meta\b[^>]*http-equiv\s*=\s*[\"']?\s*refresh", re.I)
BAD_URL = re.compile(rb"(java\s*script|vb\s*script|livescript)\s*:|data\s*:\s*text/html", re.I)
BAD_CSS = re.compile(rb"expression\s*\(|-moz-binding|behavior\s*:", re.I)


def unescape(v):
    v = re.sub(rb"&#x([0-9a-fA-F]+);?", lambda m: bytes([int(m.group(1), 16) & 0x7F]), v)
    v = re.sub(rb"&#([0-9]+);?", lambda m: bytes([int(m.group(1)) & 0x7F]), v)
    return v.replace(b"&amp;", b"&").replace(b"&quot;", b'"').replace(b"&apos;", b"'")


def check(book):
    found = []
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if not re.search(r"\.(xhtml|html|opf|ncx|svg|css|xml)$", name):
                continue
            data = z.read(name)
            where = "%s:%s" % (book, name)
            if name.endswith(".css"):
                for m in BAD_CSS.finditer(data):
                    found.append("%s: CSS %r" % (where, m.group(0)))
                for m in BAD_URL.finditer(data):
                    found.append("%s: CSS URL %r" % (where, m.group(0)))
                continue
            for m in BAD_ELEM.finditer(data):
                found.append("%s: element %r" % (where, data[m.start():m.start() + 60]))
            for m in META_REFRESH.finditer(data):
                found.append("%s: meta refresh %r" % (where, m.group(0)[:80]))
            for t in TAG.finditer(data):
                for a in ATTR.finditer(t.group(0)):
                    name_, val = a.group(1).lower(), unescape(a.group(2)[1:-1])
                    if re.match(rb"^on[a-z]+$", name_):
                        found.append("%s: event handler %r" % (where, t.group(0)[:100]))
                    elif BAD_URL.search(re.sub(rb"[\x00-\x20]", b"", val)):
                        found.append("%s: URL in %s: %r" % (where, name_.decode(), val[:80]))
                    elif name_ == b"style" and BAD_CSS.search(val):
                        found.append("%s: CSS in style: %r" % (where, val[:80]))
            for m in re.finditer(rb"<style\b[^>]*>(.*?)</style>", data, re.S | re.I):
                if BAD_CSS.search(m.group(1)) or BAD_URL.search(m.group(1)):
                    found.append("%s: <style> %r" % (where, m.group(1)[:80]))
    return found


def main():
    bad = []
    for b in sys.argv[1:]:
        bad += check(b)
    for line in bad:
        print(line)
    print("%d book(s), %d offender(s)" % (len(sys.argv) - 1, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
