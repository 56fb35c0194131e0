#!/usr/bin/env python3
"""Seeded generator of WordPress-like archives for sheaf's benchmark.

    python3 bench/gen.py --seed 1 --n 1000 --out DIR

writes into DIR:
  feed.rss             RSS 2.0, newest item first, full posts in content:encoded
  html/NNNNN.html      the same articles as full web pages (og:title,
                       article:published_time, article:tag, <article>)
  md/DATE-slug.md      the same articles as Markdown with YAML front matter
  images/img-NN.png    a few dozen small valid PNGs the articles reference
                       (feed: images/..., html/ and md/: ../images/...)

    python3 bench/gen.py --short --seed 1 --n 100000 --out DIR [--kinds feed,wxr,md]

writes N short articles (300-900 bytes of HTML, two to four paragraphs, no
images) for the scale benchmark (bench/scale), as any of
  feed.rss             RSS 2.0, newest item first, content:encoded
  wxr.xml              a WordPress export (WXR 1.2): posts in classic-editor
                       paragraphs or block markup, a draft and an attachment
                       every 50 posts (skipped by sheaf)
  md/DATE-slug.md      Markdown with YAML front matter

Python 3 standard library only. The output depends only on --seed and --n
(and --short/--kinds): the same arguments give the same bytes on every run.
"""

import argparse
import datetime
import os
import random
import struct
import zlib

SITE = "https://blog.example.org"
SITE_TITLE = "The Long Archive"
NIMAGES = 36

TAGS = [
    "Archiving", "Open Source", "Linux", "Programming", "Web", "Books",
    "Travel", "Photography", "Climate", "Economics", "History", "Music",
    "Cooking", "Cycling", "Privacy", "Security", "Databases", "Typography",
    "Design", "Education", "Science", "Mathematics", "Gardening", "Film",
    "Languages", "Chinese", "Hardware", "Networking", "Writing", "Maps",
]

AUTHORS = ["Ada Marsh", "Bruno Keller", "Chen Wei", "Dolores Ibáñez",
           "Émile Laurent", "Farah Haddad"]

WORDS = (
    "archive book chapter draft edition feed format index journal letter "
    "library manuscript note page paper print reader record shelf source "
    "story text volume web workshop machine network server browser file "
    "folder backup disk cloud memory system process thread signal queue "
    "garden river mountain city harbour street market train station bridge "
    "winter summer morning evening season weather light shadow colour sound "
    "quietly slowly carefully often rarely simply clearly almost nearly "
    "build keep write read move change open close carry follow remember "
    "measure compare notice explain gather sort publish repair describe "
    "small large old new early late simple plain careful patient useful "
    "honest fragile durable local remote public private common strange "
    "the a of and to in that with for on as by from at about between under "
    "over after before during without through because although while which"
).split()

NONASCII = ["café", "naïve", "Zürich", "Ångström", "façade", "São Paulo",
            "Kraków", "déjà vu", "smörgåsbord", "jalapeño", "Øresund",
            "Ελληνικά", "Москва", "“quoted”", "—", "…", "½", "€12", "№ 5"]

CHINESE = [
    "我们把旧的笔记整理成一本书。",
    "档案不是过去的东西，而是留给未来的信。",
    "这篇文章讨论了网页存档的格式问题。",
    "慢慢读，慢慢写，才能记住。",
    "每一个博客都是一座小小的图书馆。",
    "春天的时候，我们在河边散步。",
]

LINK_HOSTS = ["https://en.wikipedia.org/wiki/", "https://www.gutenberg.org/ebooks/",
              "https://archive.org/details/", "https://developer.mozilla.org/en-US/docs/",
              SITE + "/"]


def png(width, height, seed):
    """A valid RGB PNG of a simple gradient pattern, deterministic."""
    rng = random.Random(seed)
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes(((r0 + x * 3) & 255, (g0 + y * 2) & 255,
                           (b0 + (x ^ y)) & 255))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(
            ">I", zlib.crc32(body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s):
    return esc(s).replace('"', "&quot;")


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tag_weights = [1.0 / (k + 1) ** 1.1 for k in range(len(TAGS))]

    # -- words and inline content -------------------------------------------
    def words(self, n):
        r = self.rng
        out = []
        for _ in range(n):
            x = r.random()
            if x < 0.015:
                out.append(r.choice(NONASCII))
            else:
                out.append(r.choice(WORDS))
        return out

    def sentence(self):
        r = self.rng
        if r.random() < 0.04:
            return [("t", r.choice(CHINESE))]
        ws = self.words(r.randint(6, 18))
        ws[0] = ws[0][:1].upper() + ws[0][1:]
        spans = []
        i = 0
        while i < len(ws):
            x = r.random()
            k = r.randint(1, 3)
            piece = " ".join(ws[i:i + k])
            if x < 0.05:
                spans.append(("em", piece))
            elif x < 0.08:
                spans.append(("strong", piece))
            elif x < 0.12:
                host = r.choice(LINK_HOSTS)
                spans.append(("a", piece, host + "-".join(ws[i:i + k]).lower()
                              .replace(" ", "-").encode("ascii", "ignore").decode()
                              or "page"))
            elif x < 0.13:
                spans.append(("code", ws[i].lower().encode("ascii", "ignore").decode()
                              or "x"))
                k = 1
            else:
                spans.append(("t", piece))
                i += k
                if i < len(ws):
                    spans.append(("t", " "))
                continue
            i += k
            if i < len(ws):
                spans.append(("t", " "))
        spans.append(("t", r.choice([".", ".", ".", "?", "!", ";", ": R&D and Q&A."])))
        return spans

    def para(self, nsent=None):
        spans = []
        for j in range(nsent or self.rng.randint(2, 6)):
            if j:
                spans.append(("t", " "))
            spans += self.sentence()
        return spans

    # -- blocks --------------------------------------------------------------
    def body(self, target, image):
        """A list of blocks whose HTML is about `target` bytes."""
        r = self.rng
        blocks = [("p", self.para())]
        size = 0
        figure_done = False
        table_done = r.random() > 0.2     # an occasional table
        code_done = r.random() > 0.15
        while size < target:
            x = r.random()
            if x < 0.12:
                blocks.append(("h2", self.plain(r.randint(2, 6))))
            elif x < 0.18:
                blocks.append(("h3", self.plain(r.randint(2, 5))))
            elif x < 0.26:
                blocks.append((r.choice(["ul", "ol"]),
                               [self.para(1) for _ in range(r.randint(2, 6))]))
            elif x < 0.31:
                blocks.append(("blockquote", self.para(r.randint(1, 3))))
            elif x < 0.36 and not figure_done:
                figure_done = True
                blocks.append(("figure", image, self.plain(r.randint(4, 10))))
            elif x < 0.40 and not table_done:
                table_done = True
                cols = r.randint(2, 4)
                blocks.append(("table", [self.plain(1) for _ in range(cols)],
                               [[self.plain(r.randint(1, 3)) for _ in range(cols)]
                                for _ in range(r.randint(2, 6))]))
            elif x < 0.43 and not code_done:
                code_done = True
                blocks.append(("pre", "\n".join(
                    "%s = %s(%d)" % (r.choice(WORDS[:40]), r.choice(WORDS[:40]),
                                     r.randint(0, 99)) for _ in range(r.randint(2, 6)))))
            else:
                blocks.append(("p", self.para()))
            size = len(self.html(blocks, "images/"))
        if not figure_done:
            blocks.insert(2, ("figure", image, self.plain(r.randint(4, 10))))
        return blocks

    def plain(self, n):
        ws = self.words(n)
        s = " ".join(ws)
        return s[:1].upper() + s[1:]

    # -- rendering -----------------------------------------------------------
    @staticmethod
    def inline_html(spans):
        out = []
        for s in spans:
            if s[0] == "t":
                out.append(esc(s[1]))
            elif s[0] == "a":
                out.append('<a href="%s">%s</a>' % (attr(s[2]), esc(s[1])))
            else:
                out.append("<%s>%s</%s>" % (s[0], esc(s[1]), s[0]))
        return "".join(out)

    @staticmethod
    def inline_md(spans):
        out = []
        for s in spans:
            if s[0] == "t":
                out.append(s[1])
            elif s[0] == "a":
                out.append("[%s](%s)" % (s[1], s[2]))
            elif s[0] == "em":
                out.append("*%s*" % s[1])
            elif s[0] == "strong":
                out.append("**%s**" % s[1])
            elif s[0] == "code":
                out.append("`%s`" % s[1])
        return "".join(out)

    def html(self, blocks, imgdir):
        out = []
        for b in blocks:
            k = b[0]
            if k == "p":
                out.append("<p>%s</p>" % self.inline_html(b[1]))
            elif k in ("h2", "h3"):
                out.append("<%s>%s</%s>" % (k, esc(b[1]), k))
            elif k in ("ul", "ol"):
                out.append("<%s>\n%s\n</%s>" % (k, "\n".join(
                    "<li>%s</li>" % self.inline_html(i) for i in b[1]), k))
            elif k == "blockquote":
                out.append("<blockquote><p>%s</p></blockquote>" % self.inline_html(b[1]))
            elif k == "figure":
                out.append('<figure class="wp-block-image"><img src="%s%s" alt="%s" '
                           'width="%d" height="%d" /><figcaption>%s</figcaption></figure>'
                           % (imgdir, b[1][0], attr(b[2]), b[1][1], b[1][2], esc(b[2])))
            elif k == "table":
                head = "".join("<th>%s</th>" % esc(c) for c in b[1])
                rows = "\n".join("<tr>%s</tr>" % "".join("<td>%s</td>" % esc(c) for c in row)
                                 for row in b[2])
                out.append('<table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>'
                           % (head, rows))
            elif k == "pre":
                out.append("<pre><code>%s</code></pre>" % esc(b[1]))
        return "\n".join(out)

    def md(self, blocks, imgdir):
        out = []
        for b in blocks:
            k = b[0]
            if k == "p":
                out.append(self.inline_md(b[1]))
            elif k == "h2":
                out.append("## " + b[1])
            elif k == "h3":
                out.append("### " + b[1])
            elif k == "ul":
                out.append("\n".join("- " + self.inline_md(i) for i in b[1]))
            elif k == "ol":
                out.append("\n".join("%d. %s" % (j + 1, self.inline_md(i))
                                     for j, i in enumerate(b[1])))
            elif k == "blockquote":
                out.append("> " + self.inline_md(b[1]))
            elif k == "figure":
                out.append("![%s](%s%s)" % (b[2], imgdir, b[1][0]))
            elif k == "table":
                out.append("\n".join(
                    ["| " + " | ".join(b[1]) + " |",
                     "|" + "|".join("---" for _ in b[1]) + "|"]
                    + ["| " + " | ".join(row) + " |" for row in b[2]]))
            elif k == "pre":
                out.append("```\n%s\n```" % b[1])
        return "\n\n".join(out) + "\n"

    # -- articles ------------------------------------------------------------
    def tags(self):
        r = self.rng
        k = r.choice([1, 1, 2, 2, 2, 3, 3, 4])
        idx = list(range(len(TAGS)))
        w = list(self.tag_weights)
        chosen = []
        for _ in range(k):
            j = r.choices(range(len(idx)), weights=w)[0]
            chosen.append(TAGS[idx[j]])
            del idx[j]
            del w[j]
        return chosen


def slugify(title):
    s = "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())
    return "-".join(p for p in s.split("-") if p)[:60].strip("-") or "post"


def rfc822(d):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
              "Oct", "Nov", "Dec"]
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        days[d.weekday()], d.day, months[d.month - 1], d.year, d.hour, d.minute, d.second)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


SHORT_WORDS = WORDS + ["café", "naïve", "Zürich", "façade", "Kraków", "—"]


def short_main(a):
    """N short articles, written as they are made (constant memory even at
    N = 1,000,000): the feed newest first is written from a second pass over
    the same seeded sequence, so no article is held."""
    kinds = set(a.kinds.split(","))
    unknown = kinds - {"feed", "wxr", "md"}
    if unknown:
        raise SystemExit("gen.py: unknown --kinds: %s" % ",".join(sorted(unknown)))
    os.makedirs(a.out, exist_ok=True)
    start = 1325376000  # 2012-01-01 UTC
    span = 1735603200 - start  # to 2024-12-31
    step = span / max(a.n, 1)

    def article(i):
        # Each article from its own seed: any article can be made again
        # without the ones before it (the feed is written backwards).
        r = random.Random(a.seed * 1000003 + i)
        t = int(start + i * step + r.random() * step * 0.9)
        d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        ws = r.choices(SHORT_WORDS, k=r.randint(3, 7))
        title = " ".join(ws)
        title = title[:1].upper() + title[1:]
        slug = "%s-%d" % (slugify(title), i + 1)
        tags = []
        for _ in range(r.choice([1, 1, 2, 2, 3])):
            tg = r.choices(TAGS, weights=[1.0 / (k + 1) for k in range(len(TAGS))])[0]
            if tg not in tags:
                tags.append(tg)
        paras = []
        for _ in range(r.randint(2, 4)):
            w = r.choices(SHORT_WORDS, k=r.randint(15, 35))
            w[0] = w[0][:1].upper() + w[0][1:]
            k = r.randrange(len(w))
            x = r.random()
            if x < 0.3:
                w[k] = ("em", w[k])
            elif x < 0.5:
                w[k] = ("a", w[k], "%s/%s/" % (SITE, w[k] if w[k].isascii() else "page"))
            paras.append(w)
        return d, title, slug, tags, r.choice(AUTHORS), paras

    def html(paras):
        out = []
        for w in paras:
            out.append("<p>%s.</p>" % " ".join(
                x if isinstance(x, str) else
                ("<em>%s</em>" % x[1] if x[0] == "em" else '<a href="%s">%s</a>' % (x[2], x[1]))
                for x in w))
        return "\n".join(out)

    def md(paras):
        return "\n\n".join(" ".join(
            x if isinstance(x, str) else
            ("*%s*" % x[1] if x[0] == "em" else "[%s](%s)" % (x[1], x[2]))
            for x in w) + "." for w in paras) + "\n"

    if "md" in kinds:
        os.makedirs(os.path.join(a.out, "md"), exist_ok=True)
    wxr = open(os.path.join(a.out, "wxr.xml"), "w", encoding="utf-8") if "wxr" in kinds else None
    if wxr:
        wxr.write("""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<!-- Generated by sheaf's bench/gen.py, short articles (seed %d, %d articles). -->
<channel>
	<title>%s</title>
	<link>%s</link>
	<description>A synthetic WordPress export for the scale benchmark</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>%s</wp:base_site_url>
	<wp:base_blog_url>%s</wp:base_blog_url>
""" % (a.seed, a.n, SITE_TITLE, SITE, SITE, SITE))
        for t in TAGS:
            wxr.write("\t<wp:tag><wp:tag_slug><![CDATA[%s]]></wp:tag_slug>"
                      "<wp:tag_name><![CDATA[%s]]></wp:tag_name></wp:tag>\n" % (slugify(t), t))
    for i in range(a.n):
        d, title, slug, tags, author, paras = article(i)
        iso = d.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        if "md" in kinds:
            write(os.path.join(a.out, "md", "%s-%s.md" % (d.strftime("%Y-%m-%d"), slug)),
                  "---\ntitle: \"%s\"\ndate: %s\nauthor: \"%s\"\ntags: [%s]\n---\n\n%s"
                  % (title, iso, author, ", ".join('"%s"' % t for t in tags), md(paras)))
        if wxr:
            pid = i + 1
            if pid % 2:  # classic editor: paragraphs separated by blank lines
                body = "\n\n".join(h[3:-4] for h in html(paras).split("\n"))
            else:  # block editor
                body = "\n\n".join("<!-- wp:paragraph -->\n%s\n<!-- /wp:paragraph -->" % h
                                     for h in html(paras).split("\n"))
            status = "draft" if pid % 50 == 0 else "publish"
            wxr.write("""\t<item>
\t\t<title>%s</title>
\t\t<link>%s/%04d/%02d/%s/</link>
\t\t<pubDate>%s</pubDate>
\t\t<dc:creator><![CDATA[%s]]></dc:creator>
\t\t<guid isPermaLink="false">%s/?p=%d</guid>
\t\t<content:encoded><![CDATA[%s]]></content:encoded>
\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>
\t\t<wp:post_id>%d</wp:post_id>
\t\t<wp:post_date><![CDATA[%s]]></wp:post_date>
\t\t<wp:post_name><![CDATA[%s]]></wp:post_name>
\t\t<wp:status><![CDATA[%s]]></wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:post_type><![CDATA[post]]></wp:post_type>
%s\t</item>
""" % (esc(title), SITE, d.year, d.month, slug, rfc822(d), author, SITE, pid, body, pid,
       d.strftime("%Y-%m-%d %H:%M:%S"), slug, status,
       "".join('\t\t<category domain="post_tag" nicename="%s"><![CDATA[%s]]></category>\n'
               % (slugify(t), t) for t in tags)))
            if pid % 50 == 25:  # an attachment, as exports carry them
                wxr.write("""\t<item>
\t\t<title>photo-%d</title>
\t\t<guid isPermaLink="false">%s/wp-content/uploads/photo-%d.jpg</guid>
\t\t<wp:post_id>%d</wp:post_id>
\t\t<wp:status><![CDATA[inherit]]></wp:status>
\t\t<wp:post_parent>%d</wp:post_parent>
\t\t<wp:post_type><![CDATA[attachment]]></wp:post_type>
\t\t<wp:attachment_url><![CDATA[%s/wp-content/uploads/photo-%d.jpg]]></wp:attachment_url>
\t</item>
""" % (pid, SITE, pid, a.n + pid, pid, SITE, pid))
    if wxr:
        wxr.write("</channel>\n</rss>\n")
        wxr.close()
    if "feed" in kinds:
        with open(os.path.join(a.out, "feed.rss"), "w", encoding="utf-8") as f:
            f.write("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<!-- Generated by sheaf's bench/gen.py, short articles (seed %d, %d articles). -->
<channel>
  <title>%s</title>
  <link>%s/</link>
  <description>A synthetic feed for the scale benchmark</description>
  <language>en-US</language>
""" % (a.seed, a.n, SITE_TITLE, SITE))
            for i in reversed(range(a.n)):
                d, title, slug, tags, author, paras = article(i)
                f.write("""  <item>
    <title>%s</title>
    <link>%s/%04d/%02d/%s/</link>
    <guid isPermaLink="false">%s/?p=%d</guid>
    <pubDate>%s</pubDate>
    <dc:creator><![CDATA[%s]]></dc:creator>
%s    <content:encoded><![CDATA[%s]]></content:encoded>
  </item>
""" % (esc(title), SITE, d.year, d.month, slug, SITE, i + 1, rfc822(d), author,
       "".join("    <category><![CDATA[%s]]></category>\n" % t for t in tags), html(paras)))
            f.write("</channel>\n</rss>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--short", action="store_true",
                    help="short articles for the scale benchmark (bench/scale)")
    ap.add_argument("--kinds", default="feed,wxr,md",
                    help="with --short: which of feed, wxr, md to write")
    a = ap.parse_args()
    if a.short:
        short_main(a)
        return

    g = Gen(a.seed)
    r = g.rng
    for d in ("html", "md", "images"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)

    images = []
    for i in range(NIMAGES):
        w, h = r.choice([(64, 48), (96, 64), (120, 80), (160, 120), (200, 150)])
        name = "img-%02d.png" % (i + 1)
        with open(os.path.join(a.out, "images", name), "wb") as f:
            f.write(png(w, h, a.seed * 1000 + i))
        images.append((name, w, h))

    start = datetime.datetime(2012, 1, 1)
    span = int((datetime.datetime(2024, 12, 31) - start).total_seconds())
    stamps = sorted(r.randrange(span) for _ in range(a.n))

    items = []
    used = {}
    for i in range(a.n):
        pid = i + 1
        d = start + datetime.timedelta(seconds=stamps[i])
        title = g.plain(r.randint(3, 8))
        if r.random() < 0.05:
            title += " " + r.choice(NONASCII)
        slug = slugify(title)
        if slug in used:
            slug = "%s-%d" % (slug, pid)
        used[slug] = True
        tags = g.tags()
        author = r.choice(AUTHORS)
        blocks = g.body(r.randint(6000, 12000), r.choice(images))
        link = "%s/%04d/%02d/%s/" % (SITE, d.year, d.month, slug)
        iso = d.strftime("%Y-%m-%dT%H:%M:%S+00:00")

        # HTML page
        tagmeta = "\n".join('<meta property="article:tag" content="%s">' % attr(t)
                            for t in tags)
        taglinks = ", ".join('<a href="%s/tag/%s/" rel="tag">%s</a>'
                             % (SITE, slugify(t), esc(t)) for t in tags)
        page = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{t} &#8211; {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{link}">
<meta property="og:type" content="article">
<meta property="og:title" content="{ta}">
<meta property="og:url" content="{link}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{iso}">
<meta property="article:author" content="{aa}">
{tagmeta}
<link rel="stylesheet" href="{s}/wp-content/themes/twentytwenty/style.css">
<script src="{s}/wp-includes/js/jquery/jquery.min.js"></script>
</head>
<body class="post-template-default single single-post postid-{pid}">
<header class="site-header"><a class="site-title" href="{s}/">{site}</a>
<nav><ul><li><a href="{s}/">Home</a></li><li><a href="{s}/about/">About</a></li></ul></nav></header>
<main id="site-content">
<article class="post-{pid} post type-post status-publish" id="post-{pid}">
<header class="entry-header"><h1 class="entry-title">{t}</h1>
<div class="entry-meta">By <span class="author">{a}</span> on <time datetime="{iso}">{date}</time></div></header>
<div class="entry-content">
{body}
</div>
<footer class="entry-footer">Tags: {taglinks}</footer>
</article>
</main>
<footer class="site-footer"><p>&#169; {site}</p></footer>
<script>window.dataLayer = window.dataLayer || [];</script>
</body>
</html>
""".format(t=esc(title), ta=attr(title), site=SITE_TITLE, link=link, iso=iso,
           aa=attr(author), a=esc(author), tagmeta=tagmeta, s=SITE, pid=pid,
           date=d.strftime("%Y-%m-%d"), body=g.html(blocks, "../images/"),
           taglinks=taglinks)
        write(os.path.join(a.out, "html", "%05d.html" % pid), page)

        # Markdown with front matter
        fm = "---\ntitle: \"%s\"\ndate: %s\nauthor: \"%s\"\ntags: [%s]\n---\n\n" % (
            title.replace("\\", "\\\\").replace('"', '\\"'), iso, author,
            ", ".join('"%s"' % t for t in tags))
        write(os.path.join(a.out, "md", "%s-%s.md" % (d.strftime("%Y-%m-%d"), slug)),
              fm + g.md(blocks, "../images/"))

        # feed item (kept for the feed, newest first)
        body = g.html(blocks, "images/")
        first = [b for b in blocks if b[0] == "p"][0]
        excerpt = " ".join(g.inline_md([s for s in first[1] if s[0] == "t"]).split()[:30])
        items.append("""  <item>
    <title>{t}</title>
    <link>{link}</link>
    <guid isPermaLink="false">{s}/?p={pid}</guid>
    <pubDate>{date}</pubDate>
    <dc:creator><![CDATA[{a}]]></dc:creator>
{cats}
    <description><![CDATA[{ex}&#8230;]]></description>
    <content:encoded><![CDATA[{body}
<p>The post <a href="{link}">{t}</a> appeared first on <a href="{s}">{site}</a>.</p>]]></content:encoded>
  </item>
""".format(t=esc(title), link=link, s=SITE, pid=pid, date=rfc822(d), a=author,
           cats="\n".join("    <category><![CDATA[%s]]></category>" % t for t in tags),
           ex=excerpt, body=body, site=SITE_TITLE))

    head = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom">
<!-- Generated by sheaf's bench/gen.py (seed {seed}, {n} articles). -->
<channel>
  <title>{site}</title>
  <link>{s}/</link>
  <description>A synthetic WordPress-like archive for benchmarking</description>
  <language>en-US</language>
  <generator>https://wordpress.org/?v=6.4</generator>
""".format(seed=a.seed, n=a.n, site=SITE_TITLE, s=SITE)
    write(os.path.join(a.out, "feed.rss"),
          head + "".join(reversed(items)) + "</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
