#!/usr/bin/env python3
"""Writes one small archive in each input kind sheaf reads, for the series
tests (tests/e2e/series.sh).

  kinds.py KIND DIR N     writes N articles of KIND under DIR and prints
                          what to give sheaf (a file or a folder); for
                          warc, prints the warc_pack arguments instead

KIND is rss, atom, wxr, md, html or warc. Article i (0-based) is dated
80 days after article i-1 from 2021-01-10, so 13 articles span three
years. Its text holds the marker ZQ<KIND>M<ii>Z exactly once, and no
other text holds it, so a test can count where each article went. Every
third article shows a picture. The same KIND and N always give the same
bytes, and a larger N gives the same first articles: the archive grows
as a blog does between two runs.

In rss, articles 5 and 10 have no guid and share one link (a site that
links every item to its day page), with different titles: two articles.
"""
import datetime
import os
import struct
import sys
import zlib

BASE = datetime.datetime(2021, 1, 10, 9, 30)


def png(path, seed):
    """A small opaque PNG whose pixels depend on `seed`."""
    w = h = 24
    raw = b"".join(
        b"\x00" + bytes(((x * 7 + y * 13 + seed * 31) & 255) for x in range(w) for _ in range(3))
        for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def marker(kind, i):
    return f"ZQ{kind.upper()}M{i:02d}Z"


def body_html(kind, i, img):
    pic = f'<p><img src="{img}" alt="Picture {i:02d}"/></p>' if i % 3 == 0 else ""
    return (f"<p>Paragraph one of article {i:02d} holds {marker(kind, i)} once.</p>"
            f"{pic}<p>A second paragraph, plain words.</p>")


def rfc822(d):
    return d.strftime("%a, %d %b %Y %H:%M:%S +0000")


def main():
    kind, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    dates = [BASE + datetime.timedelta(days=80 * i) for i in range(n)]
    site = f"https://{kind}.example.org"
    for k in range(3):
        png(os.path.join(out, f"pic{k}.png"), k)

    def img(i):
        return f"pic{(i // 3) % 3}.png"

    if kind == "rss":
        items = []
        for i, d in enumerate(dates):
            if i in (5, 10):
                ident = f"<link>{site}/daily/</link>"
            else:
                ident = f"<link>{site}/{i}/</link><guid>{site}/?p={i}</guid>"
            items.append(f"""<item><title>RSS article {i:02d}</title>{ident}
<pubDate>{rfc822(d)}</pubDate><description><![CDATA[{body_html(kind, i, img(i))}]]></description></item>""")
        path = os.path.join(out, "feed.rss")
        with open(path, "w") as f:
            f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>RSS Kind</title><link>{site}/</link>
<description>d</description>{''.join(items)}</channel></rss>""")
        print(path)
    elif kind == "atom":
        entries = "".join(f"""<entry><title>Atom article {i:02d}</title><id>tag:atom.example.org,2021:{i}</id>
<link href="{site}/{i}/"/><updated>{d:%Y-%m-%dT%H:%M:%SZ}</updated>
<content type="html"><![CDATA[{body_html(kind, i, img(i))}]]></content></entry>""" for i, d in enumerate(dates))
        path = os.path.join(out, "feed.atom")
        with open(path, "w") as f:
            f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Kind</title><id>tag:atom.example.org,2021:feed</id>
<updated>2024-01-01T00:00:00Z</updated><author><name>A. Writer</name></author>
<link href="{site}/"/>{entries}</feed>""")
        print(path)
    elif kind == "wxr":
        items = "".join(f"""<item><title>WXR article {i:02d}</title><link>{site}/?p={i + 1}</link>
<pubDate>{rfc822(d)}</pubDate><dc:creator>admin</dc:creator>
<guid isPermaLink="false">{site}/?p={i + 1}</guid>
<content:encoded><![CDATA[{body_html(kind, i, img(i))}]]></content:encoded>
<wp:post_id>{i + 1}</wp:post_id><wp:post_date>{d:%Y-%m-%d %H:%M:%S}</wp:post_date>
<wp:post_date_gmt>{d:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>""" for i, d in enumerate(dates))
        path = os.path.join(out, "blog.wordpress.xml")
        with open(path, "w") as f:
            f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>WXR Kind</title>
<link>{site}</link><wp:wxr_version>1.2</wp:wxr_version>{items}</channel></rss>""")
        print(path)
    elif kind == "md":
        for i, d in enumerate(dates):
            pic = f"\n![Picture {i:02d}]({img(i)})\n" if i % 3 == 0 else ""
            with open(os.path.join(out, f"{d:%Y-%m-%d}-note-{i:02d}.md"), "w") as f:
                f.write(f"---\ntitle: MD article {i:02d}\ndate: {d:%Y-%m-%d}\n---\n\n"
                        f"Paragraph one of article {i:02d} holds {marker(kind, i)} once.\n{pic}\n"
                        "A second paragraph, plain words.\n")
        print(out)
    elif kind == "html":
        for i, d in enumerate(dates):
            with open(os.path.join(out, f"page-{i:02d}.html"), "w") as f:
                f.write(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>HTML article {i:02d} | HTML Kind</title>
<meta property="og:site_name" content="HTML Kind">
<meta property="og:title" content="HTML article {i:02d}">
<meta property="og:url" content="{site}/{i}/">
<meta property="article:published_time" content="{d:%Y-%m-%dT%H:%M:%S}+00:00">
</head><body><header><a href="/">HTML Kind</a></header>
<article><h1>HTML article {i:02d}</h1>{body_html(kind, i, img(i))}</article>
<footer>Footer words</footer></body></html>""")
        print(out)
    elif kind == "warc":
        # What sheaf fetch captures: an excerpt feed, each article's page
        # with the whole text, and the pictures the pages show.
        args = []
        items = []
        for i, d in enumerate(dates):
            items.append(f"""<item><title>WARC article {i:02d}</title><link>{site}/{i}/</link>
<guid>{site}/?p={i}</guid><pubDate>{rfc822(d)}</pubDate>
<description><![CDATA[<p>The opening of article {i:02d} [&#8230;]</p>]]></description></item>""")
            page = os.path.join(out, f"page-{i:02d}.html")
            with open(page, "w") as f:
                f.write(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>WARC article {i:02d} - WARC Kind</title>
<meta property="og:title" content="WARC article {i:02d}"></head>
<body><nav><a href="/">Home</a></nav><article><h1>WARC article {i:02d}</h1>
{body_html(kind, i, site + '/img/' + img(i))}</article></body></html>""")
            args.append(f"{site}/{i}/={page}")
        feed = os.path.join(out, "feed.rss")
        with open(feed, "w") as f:
            f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>WARC Kind</title><link>{site}/</link>
<description>d</description>{''.join(items)}</channel></rss>""")
        args.insert(0, f"{site}/feed/={feed}")
        for k in range(3):
            args.append(f"{site}/img/pic{k}.png={os.path.join(out, f'pic{k}.png')}")
        print("\n".join(args))
    else:
        sys.exit(f"kinds.py: unknown kind {kind}")


main()
