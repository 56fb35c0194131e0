#!/usr/bin/env python3
"""Checks a book built from the fetch tests' captures.

bookcheck.py BOOK.epub FIRST LAST
    the book has one chapter per post FIRST..LAST, each with its full text
    (its "marker-NN") and its photo and chart embedded, and every image file
    of the book is used, each by one <img>.
bookcheck.py --same A.epub B.epub
    the two books have the same chapters and images, byte for byte.
"""
import re
import sys
import zipfile


def parts(path):
    z = zipfile.ZipFile(path)
    return {n: z.read(n) for n in z.namelist()
            if n.startswith("EPUB/images/") or re.match(r"EPUB/text/ch\d+\.xhtml$", n)}


def check(path, first, last):
    p = parts(path)
    chapters = sorted(n for n in p if n.startswith("EPUB/text/"))
    text = "".join(p[n].decode() for n in chapters)
    if len(chapters) != last - first + 1:
        sys.exit("%s: %d chapters, want %d" % (path, len(chapters), last - first + 1))
    for i in range(first, last + 1):
        if "marker-%02d" % i not in text:
            sys.exit("%s: post %d's full text is missing" % (path, i))
        for alt in ("Photo %d" % i, "Chart %d" % i):
            m = re.search(r'<img src="\.\./(images/[0-9a-f]{40}\.\w+)" alt="%s"' % alt, text)
            if not m or "EPUB/" + m.group(1) not in p:
                sys.exit("%s: image '%s' is not embedded" % (path, alt))
    srcs = re.findall(r'<img src="\.\./(images/[^"]+)"', text)
    files = sorted(n for n in p if re.match(r"EPUB/images/[0-9a-f]{40}\.", n))
    if len(set(srcs)) != len(srcs):
        sys.exit("%s: an image is embedded twice" % path)
    if sorted("EPUB/" + s for s in srcs) != files:
        sys.exit("%s: image files and <img> do not match" % path)


def main():
    if sys.argv[1] == "--same":
        a, b = parts(sys.argv[2]), parts(sys.argv[3])
        if a != b:
            diff = sorted(set(a) ^ set(b)) or [n for n in a if a[n] != b[n]]
            sys.exit("the books differ: %s" % ", ".join(diff[:5]))
    else:
        check(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))


if __name__ == "__main__":
    main()
