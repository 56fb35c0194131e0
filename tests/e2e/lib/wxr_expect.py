#!/usr/bin/env python3
"""What sheaf should read from a WordPress export, derived independently.

Used by tests/e2e/wxr.sh; standard library only.

  wxr_expect.py kind EXPORT      "malformed", "empty" (no published post) or "ok"
  wxr_expect.py counts EXPORT    "slug count" per tag and category of the
                                 published posts, sorted
  wxr_expect.py tags EXPORT      "slug<TAB>title|title|..." for every tag or
                                 category with at least two published posts:
                                 the posts `sheaf build --tag slug` selects
                                 (a tag matches by slug or by its name's slug)

A published post: wp:post_type "post" (WordPress's default when absent),
wp:status "publish" (absent means draft, as in WordPress), no password.
Titles are normalised as sheaf shows them: entities decoded, tags dropped,
whitespace collapsed, empty -> "Untitled".
"""
import html
import re
import sys
import xml.etree.ElementTree as ET

WP = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")


def wp(el, name):
    """Text of the first child wp:NAME (any WXR version), or None."""
    for child in el:
        tag = child.tag
        if tag.startswith("{"):
            ns, local = tag[1:].split("}", 1)
            if local == name and WP.match(ns):
                return (child.text or "").strip()
    return None


def norm_title(s):
    # Inline elements' tags join their text ("<b>Mark</b><i>up</i>" is
    # "Markup", issue 13); other tags separate words.
    s = re.sub(r"</?(?:a|abbr|b|bdi|bdo|cite|code|dfn|em|i|kbd|mark|q|s|samp|small|"
               r"span|strong|sub|sup|time|u|var|font|tt|strike|big)\b[^>]*>", "",
               s or "", flags=re.I)
    s = re.sub(r"<[^>]*>", " ", s)
    s = html.unescape(s)
    s = re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()
    return s or "Untitled"


def slugify(s):
    s = html.unescape(s).strip().lower()
    return re.sub(r"[^\w]+", "-", s).strip("-")


def posts(path):
    root = ET.parse(path).getroot()
    for item in root.iter("item"):
        ptype = wp(item, "post_type") or "post"
        status = wp(item, "status") or "draft"
        if ptype != "post" or status != "publish" or (wp(item, "post_password") or ""):
            continue
        title = norm_title(item.findtext("title"))
        slugs, names = [], []
        for cat in item.findall("category"):
            domain = cat.get("domain")
            if domain not in (None, "category", "post_tag", "tag"):
                continue
            if not (cat.text or "").strip():
                continue
            slug = (cat.get("nicename") or slugify(cat.text)).lower()
            if slug not in slugs:  # sheaf keeps the first tag of a slug
                slugs.append(slug)
                names.append(slugify(cat.text))
        yield title, slugs, names


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "kind":
        try:
            found = any(True for _ in posts(path))
        except ET.ParseError:
            print("malformed")
            return
        print("ok" if found else "empty")
        return
    counts, all_posts = {}, list(posts(path))
    for title, slugs, names in all_posts:
        for s in slugs:
            counts[s] = counts.get(s, 0) + 1
    if cmd == "counts":
        for s in sorted(counts):
            print("%s %d" % (s, counts[s]))
    elif cmd == "tags":
        for s in sorted(counts):
            if counts[s] >= 2:
                titles = [t for t, slugs, names in all_posts if s in slugs or s in names]
                print("%s\t%s" % (s, "|".join(sorted(titles))))


if __name__ == "__main__":
    main()
