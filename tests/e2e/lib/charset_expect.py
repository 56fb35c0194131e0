#!/usr/bin/env python3
"""Checks that sheaf reads the item titles of legacy-encoded feeds right.

    charset_expect.py SHEAF FILE...

For every FILE that is a feed (root <rss>, <rdf:RDF> or <feed>), the titles
that `sheaf list FILE` prints must equal the titles Python finds when it
decodes the bytes with the charset named in the file's "Expect:" comment,
the label mapped as browsers map it (the WHATWG Encoding Standard), then
parses the text and normalises it as sheaf does (markup dropped, entities
decoded, whitespace collapsed). Files that are not feeds are skipped.
Prints one line per failing file and a pass count per charset folder;
exits 1 when any feed differs.
"""
import collections
import html
import html.entities
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

# Labels as browsers read them: the supersets a page labelled so is in.
WHATWG = {
    "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc-kr": "cp949",
    "iso-8859-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
    "big5": "big5hkscs", "tis-620": "cp874", "iso-8859-9": "cp1254",
    "maccyrillic": "mac_cyrillic",
}

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM03 = "{http://purl.org/atom/ns#}"


def expected_charset(raw):
    m = re.search(rb"Expect:\s*([A-Za-z0-9_.:-]+)", raw)
    return m.group(1).decode("ascii") if m else None


def unref(m):
    ref = m.group(1)
    if ref[0] == "#":
        cp = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        return chr(cp) if 0 < cp < 0x110000 and not 0xD800 <= cp < 0xE000 else "\ufffd"
    return html.entities.html5.get(ref + ";", m.group(0))


def plain(s):
    """What sheaf makes of a title: tags dropped, complete character
    references decoded once, ASCII whitespace collapsed (not U+3000)."""
    s = re.sub(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>", " ", s)
    s = re.sub(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});", unref, s)
    return " ".join(re.split(r"[ \t\n\r\f\xa0]+", s)).strip()


def local(tag):
    return tag.rsplit("}", 1)[-1]


def titles_of(text):
    # The declaration names the old charset; the text is decoded already.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    # The feeds' DTDs are never loaded (as in sheaf): drop the DOCTYPE.
    text = re.sub(r"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", "", text, count=1, flags=re.S)
    root = ET.fromstring(text)
    kind = local(root.tag)
    if kind not in ("rss", "RDF", "feed"):
        return None
    items = [e for e in root.iter() if local(e.tag) in ("item", "entry")]
    out, keys = [], collections.Counter()
    for it in items:
        t, k = None, []
        for child in it:
            name = local(child.tag)
            if name == "title" and t is None:
                t = child
            elif name in ("guid", "id", "link"):
                k.append((child.text or "").strip() + child.get("href", ""))
        k.append(it.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", ""))
        k = [x for x in k if x]
        keys.update(set(k))
        if t is None:
            out.append(("", k))
            continue
        text = "".join(t.itertext())
        # Atom text constructs are literal unless type says HTML.
        literal = kind == "feed" and t.get("type", "text") in ("text", "text/plain") \
            and t.get("mode", "xml") != "escaped"
        out.append((" ".join(re.split(r"[ \t\n\r\f\xa0]+", text)).strip() if literal
                    else plain(text), k))
    # sheaf merges items that share an id or link: those are not compared.
    return [(t if not any(keys[x] > 1 for x in k) else None) for t, k in out]


def sheaf_titles(sheaf, path):
    p = subprocess.run([sheaf, "list", path], capture_output=True, timeout=10)
    if p.returncode != 0:
        return None, p.stderr.decode("utf-8", "replace")
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    return [ln.split("\t")[1] if "\t" in ln else ln for ln in lines], ""


def main():
    sheaf = sys.argv[1]
    stats = collections.OrderedDict()
    bad = 0
    for path in sys.argv[2:]:
        raw = open(path, "rb").read()
        label = expected_charset(raw)
        if label is None:
            continue
        codec = WHATWG.get(label.lower(), label)
        folder = os.path.basename(os.path.dirname(path))
        try:
            want = titles_of(raw.decode(codec, "replace"))
        except ET.ParseError:
            want = "unparseable"
        if want is None:
            continue  # not a feed
        st = stats.setdefault(folder, [0, 0])
        st[1] += 1
        got, err = sheaf_titles(sheaf, path)
        if want == "unparseable":
            # Python cannot parse it either: sheaf must fail cleanly or read it.
            if got is None and err.strip():
                st[0] += 1
                continue
            want = got
        # Every titled item that is not a duplicate must be listed with its
        # title; sheaf lists no title it did not find.
        want_t = sorted(t for t in want if t)
        got_t = sorted(got) if got is not None else None
        if got_t is not None:
            left = collections.Counter(got_t)
            left.subtract(want_t)
            if all(v >= 0 for v in left.values()) and len(got_t) <= len(want):
                st[0] += 1
                continue
        bad += 1
        print(f"FAIL {path} ({label} read as {codec})")
        if got is None:
            print("    sheaf failed: " + err.strip().replace("\n", "\n    "))
        else:
            print(f"    {len(want)} items ({len(want_t)} titled), sheaf lists {len(got_t)}")
            for t in sorted(set(want_t) - set(got_t))[:3]:
                print(f"    expected: {t!r}")
            for t in sorted(set(got_t) - set(want_t))[:3]:
                print(f"    sheaf:    {t!r}")
    total_ok = sum(s[0] for s in stats.values())
    total = sum(s[1] for s in stats.values())
    for folder, (ok, n) in stats.items():
        print(f"{folder:28s} {ok:3d}/{n:3d}")
    print(f"{'all feeds':28s} {total_ok:3d}/{total:3d}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
