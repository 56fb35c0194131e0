#!/usr/bin/python3
# make fidelity: every feed of ../shared/corpus through `sheaf build`, each
# book compared with what Python's feedparser (Debian's python3-feedparser, an
# independent parser; a test-only dependency) reads from the same file:
#   - title present: each entry's title, as words, in a chapter heading;
#   - word recall: the share of the words of each entry's text (its content,
#     else its summary) that the book holds, counted with multiplicity;
#   - chapters vs entries, after the merge rule sheaf documents: entries with
#     the same guid are one article; entries without a guid merge by link
#     and title;
#   - no chapter shows markup as escaped text where feedparser read none.
# Known, intended differences are listed in known.txt, one reason each.
# Prints the distribution; exits 1 when a feed drops below MIN_RECALL or a
# title goes missing outside known.txt, 77 when the corpus is absent.
#
# usage: compare.py SHEAF CORPUS KNOWN REPORT [JOBS]
import collections
import fnmatch
import gzip
import html
import html.parser
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

MIN_RECALL = 0.99
SKIP_EXT = (".json", ".txt", ".html", ".htm", ".srt", ".md", ".markdown", ".go", ".rs",
            ".py", ".rb", ".php", ".js", ".yml", ".yaml", ".toml", ".css", ".png", ".jpg")
FEED_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(rss|RDF|feed|Channel)[\s>]")
# Words: runs of word characters; in scripts written without spaces between
# words (Han, kana, Thai) each character is a word, or one join anywhere
# (a picture's placeholder before a sentence) would lose a whole sentence.
UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(r"[%s]|[^\W%s]+" % (UNSPACED, UNSPACED))
# Markup shown as text: an HTML or feed tag, whole, in a chapter's text.
MARKUP = re.compile(r"</?(?:p|div|span|br|img|a|em|strong|ul|li|table|item|entry|"
                    r"rss|feed|channel|html|body|head|script)(?:\s[^<>]*)?/?>", re.I)


class Text(html.parser.HTMLParser):
    """The text of an HTML fragment, scripts and styles left out; block
    elements end words (as a rendered page would)."""
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3",
             "h4", "h5", "h6", "blockquote", "pre", "table", "section", "article",
             "header", "footer", "figure", "figcaption", "dd", "dt", "hr", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        if tag in self.BLOCK:
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCK:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.out.append(data)


def html_text(s):
    p = Text()
    try:
        p.feed(s)
        p.close()
    except Exception:
        return re.sub(r"<[^>]*>", " ", s)
    return "".join(p.out)


def words(s):
    return WORD.findall(unicodedata.normalize("NFKC", s).casefold())


def detail_text(d, value=None):
    """The text of a feedparser detail dict (title_detail, content[i])."""
    v = value if value is not None else d.get("value", "")
    # Only text/plain is plain: feedparser keeps the declared type of
    # base64 content (application/octet-stream) whose bytes are HTML.
    t = (d.get("type") or "text/html").lower()
    return v if t == "text/plain" else html_text(v)


def read_bytes(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except Exception:
            pass
    return raw


def candidates(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if f.lower().endswith(SKIP_EXT) or not os.path.isfile(p):
                continue
            raw = read_bytes(p)
            head = raw[:8192]
            if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in head[:64]:
                for enc in ("utf-16", "utf-32"):
                    try:
                        head = raw.decode(enc)[:8192].encode("utf-8", "replace")
                        break
                    except Exception:
                        pass
            # WordPress exports are read by their own rules (published posts
            # only), which feedparser does not know: not measured here.
            if not FEED_ROOT.search(head) or b"wordpress.org/export/" in head:
                continue
            out.append(p)
    return out


def within(a, b):
    """Are 9 in 10 of the words of a among those of b?"""
    wa, wb = collections.Counter(words(a)), collections.Counter(words(b))
    n = sum(wa.values())
    return n == 0 or sum(min(c, wb[w]) for w, c in wa.items()) * 10 >= n * 9


def expected(fp):
    """feedparser's entries, merged as sheaf documents: one per guid; an
    entry without a guid merges with others of the same link and title."""
    keys = collections.OrderedDict()
    for i, e in enumerate(fp.entries):
        text = ""
        if e.get("content"):
            # feedparser lists the same text once per element that held it
            # (content:encoded, itunes:summary): a text whose words are
            # (nearly) all in another counts once.
            seen = []
            for c in e.content:
                t = detail_text(c)
                if not words(t):
                    continue
                if any(within(t, u) for u in seen):
                    continue
                seen = [u for u in seen if not within(u, t)] + [t]
            text = " ".join(seen)
        elif e.get("summary") is not None:
            text = detail_text(e.get("summary_detail") or {}, e.get("summary", ""))
        title = ""
        if e.get("title"):
            title = detail_text(e.get("title_detail") or {}, e.title)
        if not words(title) and not words(text):
            continue  # nothing to make a chapter of
        gid = e.get("id") or ""
        # Without a guid, the same link and title (without a title, the
        # same text) make one article.
        key = (("id", gid) if gid else
               ("link", e.get("link"), tuple(words(title)) or text) if e.get("link") else
               ("n", i))
        keys.setdefault(key, []).append((title, text))
    return keys


def book_text(path):
    """(chapter headings as word tuples, the chapters' words, their texts)."""
    heads, bag, texts = [], collections.Counter(), []
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if not re.match(r"EPUB/text/ch\d+\.xhtml$", n):
                continue
            x = z.read(n).decode("utf-8", "replace")
            m = re.search(r'<h1 class="sheaf-title"[^>]*>(.*?)</h1>', x, re.S)
            if m:
                heads.append(tuple(words(html.unescape(re.sub(r"<[^>]*>", "", m.group(1))))))
            body = re.sub(r"^.*?<body[^>]*>", "", x, flags=re.S)
            t = html_text(body)
            texts.append(t)
            bag.update(words(t))
    return heads, bag, texts


def has_seq(hay, needle):
    n = len(needle)
    return n == 0 or any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def true_charset(path, raw):
    """The charset a test suite says is right for a file, where it says: the
    folder of chardet's suite, an `Expect: ... encoding == 'X'` comment. The
    reference parser is told it, so its guesses are not what is measured."""
    import codecs
    m = re.search(rb"Expect:[^\n]*encoding\s*==\s*'([^']+)'", raw[:2048])
    names = [m.group(1).decode("ascii", "replace")] if m else []
    parts = path.split(os.sep)
    if "chardet" in parts and "tests" in parts:
        folder = parts[parts.index("tests") + 1]
        names += [folder, folder.rsplit("-", 1)[0]]
    for n in names:
        try:
            return codecs.lookup(n).name
        except LookupError:
            pass
    return None


def measure(args):
    path, sheaf, tmp = args
    import feedparser
    res = {"path": path}
    raw = read_bytes(path)
    cs = true_charset(path, raw)
    headers = {"content-type": "application/xml; charset=" + cs} if cs else None
    try:
        fp = feedparser.parse(raw, response_headers=headers)
    except Exception as e:  # feedparser itself failed: nothing to compare
        res["skip"] = "feedparser: %s" % e
        return res
    exp = expected(fp)
    if not exp:
        res["skip"] = "feedparser finds no entry with a title or text"
        return res
    out = os.path.join(tmp, "%d.epub" % (abs(hash(path)) % 10**12))
    try:
        r = subprocess.run([sheaf, "build", path, "-o", out], capture_output=True,
                           timeout=20)
        rc, err = r.returncode, r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, err = 124, "timeout"
    res["rc"] = rc
    res["err"] = err.strip().splitlines()[-3:]
    heads, bag, texts = (set(), collections.Counter(), [])
    if rc == 0 and os.path.exists(out):
        heads, bag, texts = book_text(out)
        os.unlink(out)
    res["chapters"] = len(texts)
    res["entries"] = sum(len(v) for v in exp.values())
    res["expected"] = len(exp)
    want = collections.Counter()
    missing = []
    fp_markup = False
    for group in exp.values():
        titles = [t for t, _ in group]
        # A merged group keeps one of its entries: the best of them counts.
        best = max(group, key=lambda g: len(words(g[1])))
        want.update(words(best[1]))
        fp_markup = fp_markup or any(MARKUP.search(t + " " + x) for t, x in group)
        tw = [tuple(words(t)) for t in titles if words(t)]
        if tw and not any(has_seq(h, t) for h in heads for t in tw):
            missing.append(titles[0].strip()[:80])
    got = sum(min(c, bag[w]) for w, c in want.items())
    total = sum(want.values())
    res["words"] = total
    res["recall"] = got / total if total else 1.0
    res["titles_missing"] = missing
    res["markup"] = (not fp_markup) and sum(1 for t in texts if MARKUP.search(t))
    lost = collections.Counter({w: c - bag[w] for w, c in want.items() if c > bag[w]})
    res["lost"] = [w for w, _ in lost.most_common(8)]
    return res


def load_known(path):
    known = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[0] not in ("recall", "title", "chapters", "markup", "all"):
            sys.exit("%s:%d: want: recall|title|chapters|markup|all PATH-GLOB REASON" % (path, n))
        known.append([parts[0], parts[1], parts[2], 0, n])
    return known


def is_known(known, kind, rel):
    for k in known:
        if k[0] in (kind, "all") and fnmatch.fnmatchcase(rel, k[1]):
            k[3] += 1
            return True
    return False


def pct(xs, q):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]


def main():
    sheaf, corpus, known_path, report = sys.argv[1:5]
    jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    if not os.path.isdir(corpus):
        print("fidelity: %s is absent; skipped" % corpus)
        return 77
    known = load_known(known_path)
    files = candidates(corpus)
    tmp = tempfile.mkdtemp(prefix="sheaf-fidelity.")
    try:
        with multiprocessing.Pool(jobs) as pool:
            results = pool.map(measure, [(f, sheaf, tmp) for f in files], chunksize=8)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    measured = [r for r in results if "skip" not in r]
    recalls = [r["recall"] for r in measured]
    bad, lines = [], []
    titles_missing = titles_unknown = chap_diff = markup = 0
    for r in measured:
        rel = os.path.relpath(r["path"], corpus)
        flags = []
        if r["recall"] < MIN_RECALL:
            ok = is_known(known, "recall", rel)
            flags.append("recall" + ("" if ok else "!"))
            if not ok:
                bad.append(("recall %.3f" % r["recall"], rel, r))
        if r["titles_missing"]:
            titles_missing += len(r["titles_missing"])
            ok = is_known(known, "title", rel)
            flags.append("title" + ("" if ok else "!"))
            if not ok:
                titles_unknown += len(r["titles_missing"])
                bad.append(("title missing: %r" % r["titles_missing"][0], rel, r))
        if r["chapters"] != r["expected"] and r["rc"] == 0:
            chap_diff += 1
            flags.append("chapters" + ("" if is_known(known, "chapters", rel) else "?"))
        if r["markup"]:
            markup += 1
            ok = is_known(known, "markup", rel)
            flags.append("markup" + ("" if ok else "!"))
            if not ok:
                bad.append(("%d chapters show markup as text" % r["markup"], rel, r))
        lines.append("%s\t%.4f\t%d/%d/%d\trc=%d\t%s\t%s\t%s" % (
            rel, r["recall"], r["chapters"], r["expected"], r["entries"], r["rc"],
            ",".join(flags), " ".join(r["lost"]), " | ".join(r["err"])))
    try:
        with open(report, "w", encoding="utf-8") as out:
            out.write("# file\trecall\tchapters/expected/entries\texit\tflags\t"
                      "words lost\tsheaf's last messages\n")
            out.write("\n".join(sorted(lines, key=lambda l: float(l.split("\t")[1]))) + "\n")
    except OSError as e:
        print("fidelity: cannot write %s: %s" % (report, e), file=sys.stderr)
    below = sum(1 for x in recalls if x < MIN_RECALL)
    print("feeds measured: %d (of %d feed files; %d with no entry feedparser can read)"
          % (len(measured), len(files), len(files) - len(measured)))
    print("recall: min %.3f  p5 %.3f  median %.3f  mean %.4f; below %.2f: %d"
          % (pct(recalls, 0), pct(recalls, 0.05), pct(recalls, 0.5),
             sum(recalls) / max(1, len(recalls)), MIN_RECALL, below))
    print("titles missing: %d (%d outside known.txt); chapter counts that differ from "
          "the merged entries: %d; books showing markup as text: %d"
          % (titles_missing, titles_unknown, chap_diff, markup))
    print("built: %d of %d (others: sheaf refused or failed)"
          % (sum(1 for r in measured if r["rc"] == 0), len(measured)))
    for k in known:
        if k[3] == 0:
            print("note: %s:%d matches nothing any more: %s %s" % (known_path, k[4], k[0], k[1]))
    for why, rel, r in bad[:60]:
        print("  %s: %s (%s)" % (why, rel, " | ".join(r["err"])[:160]))
    if len(bad) > 60:
        print("  ... and %d more" % (len(bad) - 60))
    print("per-feed details: %s" % report)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
