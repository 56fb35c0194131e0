#!/usr/bin/env python3
"""Checks an EPUB that sheaf built, independently of sheaf's own code.

Used by the end-to-end tests; standard library only.

  epub_check.py structure BOOK          container rules EPUB readers rely on
  epub_check.py chapters BOOK           chapter titles in reading order
  epub_check.py meta BOOK               OPF metadata as key=value lines
  epub_check.py text BOOK FEED [--subset]
                                        every text run of every article of
                                        FEED is in the book (--subset: only
                                        the articles whose title is a chapter)
  epub_check.py contains BOOK TEXT      TEXT occurs in the book's chapters
  epub_check.py lacks BOOK TEXT         TEXT occurs nowhere in the book
"""
import html.parser
import posixpath
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "x": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption",
    "section", "article", "aside", "header", "footer", "br", "hr", "caption",
}
DROPPED = {"script", "style", "iframe", "object", "embed", "noscript", "template",
           "svg", "math", "form", "select", "textarea", "button", "video", "audio"}


def norm(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def fail(msg):
    print("epub_check: " + msg, file=sys.stderr)
    sys.exit(1)


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        container = ET.fromstring(self.z.read("META-INF/container.xml"))
        root = container.find(".//c:rootfile", NS)
        self.opf_path = root.get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = ET.fromstring(self.z.read(self.opf_path))
        self.manifest = {}
        for item in self.opf.find("opf:manifest", NS):
            self.manifest[item.get("id")] = item
        self.spine = [i.get("idref") for i in self.opf.find("opf:spine", NS)]

    def href(self, idref):
        return posixpath.join(self.base, self.manifest[idref].get("href"))

    def chapter_docs(self):
        """The spine's content documents that are chapters (not title page, nav)."""
        out = []
        for idref in self.spine:
            item = self.manifest[idref]
            if "nav" in (item.get("properties") or "").split():
                continue
            doc = ET.fromstring(self.z.read(self.href(idref)))
            if doc.find(".//x:*[@{http://www.idpf.org/2007/ops}type='chapter']", NS) is None:
                continue
            out.append(doc)
        return out


def doc_text(doc):
    """The body's text, with each image's alt text where the image stands
    (as the feed-side runs count it)."""
    body = doc.find("x:body", NS)
    parts = []

    def walk(el):
        if el.tag == "{%s}img" % NS["x"]:
            parts.append(el.get("alt") or "")
        if el.text:
            parts.append(el.text)
        for ch in el:
            walk(ch)
            if ch.tail:
                parts.append(ch.tail)
    walk(body)
    return norm("".join(parts))


def cmd_structure(path):
    z = zipfile.ZipFile(path)
    infos = z.infolist()
    first = infos[0]
    if first.filename != "mimetype":
        fail("first entry is %s, not mimetype" % first.filename)
    if first.compress_type != zipfile.ZIP_STORED:
        fail("mimetype is compressed")
    if first.extra:
        fail("mimetype has an extra field")
    if z.read("mimetype") != b"application/epub+zip":
        fail("mimetype content is wrong")
    bad = z.testzip()
    if bad:
        fail("CRC error in " + bad)
    book = Book(path)
    names = set(z.namelist())
    for item in book.manifest.values():
        h = posixpath.join(book.base, item.get("href"))
        if h not in names:
            fail("manifest item %s is missing from the zip" % h)
        if item.get("media-type") == "application/xhtml+xml":
            ET.fromstring(z.read(h))  # well-formed
    for idref in book.spine:
        if idref not in book.manifest:
            fail("spine refers to unknown item " + idref)
    for name in names:
        if name.startswith("/") or ".." in name.split("/"):
            fail("unsafe entry name " + name)
    print("structure ok: %d entries, %d in spine" % (len(infos), len(book.spine)))


def cmd_chapters(path):
    for doc in Book(path).chapter_docs():
        h1 = doc.find(".//x:h1", NS)
        print(norm("".join(h1.itertext())) if h1 is not None else "")


def cmd_meta(path):
    book = Book(path)
    md = book.opf.find("opf:metadata", NS)
    for el in md:
        tag = el.tag.split("}")[1]
        if tag == "meta":
            print("%s=%s" % (el.get("property") or el.get("name"), norm(el.text or el.get("content") or "")))
        else:
            print("%s=%s" % (tag, norm(el.text or "")))


class Runs(html.parser.HTMLParser):
    """Splits an HTML body into the text runs between block boundaries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.cur, self.skip = [], [], 0

    def flush(self):
        t = norm("".join(self.cur))
        if t:
            self.runs.append(t)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.skip += 1
        elif tag in BLOCKS:
            self.flush()
        elif tag == "img" and not self.skip:
            self.cur.append(dict(attrs).get("alt") or "")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        elif tag == "img" and not self.skip:
            self.cur.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def is_cruft(run):
    return (run.startswith("The post ") and " appeared first on " in run) or \
        run.startswith("Read Also")


HTML_TAGS = BLOCKS | DROPPED | {"a", "b", "i", "em", "strong", "span", "code", "sup",
                               "sub", "small", "u", "s", "img", "abbr", "q", "cite"}


def strip_html_tags(s):
    """Removes tags of HTML elements, keeping text like '<markup>'."""
    return re.sub(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>",
                  lambda m: "" if m.group(1).lower() in HTML_TAGS else m.group(0), s)


def feed_articles(path):
    """(title, body html) of every item or entry in an RSS or Atom file."""
    root = ET.parse(path).getroot()
    out = []
    if root.tag == "{%s}feed" % NS["atom"]:
        for e in root.findall("atom:entry", NS):
            t = e.find("atom:title", NS)
            title = "".join(t.itertext())
            if t.get("type") == "html":
                title = html.unescape(re.sub(r"<[^>]*>", "", title))
            title = norm(title)
            c = e.find("atom:content", NS)
            if c is None:
                c = e.find("atom:summary", NS)
            body = ""
            if c is not None:
                if c.get("type") == "xhtml":
                    div = list(c)[0]
                    body = "".join(ET.tostring(ch, encoding="unicode") for ch in div)
                    body = (div.text or "") + body
                    body = re.sub(r"ns\d+:|xmlns:ns\d+=\"[^\"]*\"", "", body)
                elif c.get("type") in ("html", "text/html"):
                    body = c.text or ""
                else:
                    body = html.escape(c.text or "")
            out.append((title, body))
    else:
        for it in root.iter("item"):
            title = norm(html.unescape(strip_html_tags(it.findtext("title") or "")))
            body = it.findtext("content:encoded", namespaces=NS) or it.findtext("description") or ""
            out.append((title, body))
    return out


def cmd_text(path, feed, subset):
    book = Book(path)
    chapters = {}
    for doc in book.chapter_docs():
        h1 = doc.find(".//x:h1", NS)
        chapters[norm("".join(h1.itertext()))] = doc_text(doc)
    checked = runs_checked = 0
    for title, body in feed_articles(feed):
        if title not in chapters:
            if subset:
                continue
            fail("article %r is not a chapter of the book" % title)
        p = Runs()
        p.feed(body)
        p.close()
        p.flush()
        text = chapters[title]
        for run in p.runs:
            if is_cruft(run):
                if run in text:
                    fail("cruft kept in %r: %r" % (title, run[:80]))
                continue
            if run not in text:
                fail("text lost from %r: %r" % (title, run[:120]))
            runs_checked += 1
        checked += 1
    if checked == 0:
        fail("no article of %s is in the book" % feed)
    print("text ok: %d articles, %d text runs found in the book" % (checked, runs_checked))


def all_text(path):
    z = zipfile.ZipFile(path)
    return norm(" ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, book = argv[1], argv[2]
    if cmd == "structure":
        cmd_structure(book)
    elif cmd == "chapters":
        cmd_chapters(book)
    elif cmd == "meta":
        cmd_meta(book)
    elif cmd == "text":
        cmd_text(book, argv[3], "--subset" in argv[4:])
    elif cmd == "contains":
        texts = [doc_text(d) for d in Book(book).chapter_docs()]
        if not any(norm(argv[3]) in t for t in texts):
            fail("%r not found in the chapters" % argv[3])
    elif cmd == "lacks":
        if argv[3] in all_text(book):
            fail("%r found in the book" % argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
