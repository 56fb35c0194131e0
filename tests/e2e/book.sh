# A book that looks made: a cover first in the spine (generated, or the
# user's --cover), a title page, a closing colophon with a reproducible build
# time, --css, right-to-left languages, and links between articles that lead
# to their chapters.
. "$SRCDIR/tests/e2e/lib/common.sh"

LINKS="$FIX/links.rss"
RTL="$FIX/rtl.rss"
VERSION=$("$SHEAF" --version | sed 's/^sheaf //')

# Python helper: spine, landmarks, cover metadata, and every internal link.
cat >"$T/book.py" <<'EOF'
import posixpath, re, sys, zipfile
import xml.etree.ElementTree as ET
NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
z = zipfile.ZipFile(sys.argv[2])
opf = ET.fromstring(z.read("EPUB/content.opf"))
items = {i.get("id"): i for i in opf.find("opf:manifest", NS)}
spine = opf.find("opf:spine", NS)
cmd = sys.argv[1]
if cmd == "spine":
    print(" ".join(i.get("idref") for i in spine))
    print("ppd=%s" % spine.get("page-progression-direction"))
elif cmd == "cover":
    for i in items.values():
        if "cover-image" in (i.get("properties") or ""):
            print("cover-image=%s %s %s" % (i.get("id"), i.get("href"), i.get("media-type")))
    for m in opf.find("opf:metadata", NS):
        if m.get("name") == "cover":
            print("meta-cover=%s" % m.get("content"))
    nav = z.read("EPUB/nav.xhtml").decode()
    print("landmark-cover=%s" % ('epub:type="cover"' in nav))
elif cmd == "links":
    # Every relative href of every chapter names a file of the book and, with
    # a fragment, an id in it; prints "chapter href" for each.
    names = set(z.namelist())
    bad = 0
    for n in sorted(names):
        if not re.match(r"EPUB/text/ch\d+\.xhtml$", n):
            continue
        doc = ET.fromstring(z.read(n))
        for a in doc.iter("{%s}a" % NS["x"]):
            h = a.get("href")
            if h is None or re.match(r"[a-z]+:", h):
                continue
            path, _, frag = h.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(n), path)) if path else n
            if target not in names:
                print("BROKEN %s %s" % (n, h)); bad += 1; continue
            if frag:
                t = ET.fromstring(z.read(target))
                if not any(e.get("id") == frag for e in t.iter()):
                    print("BROKEN %s %s" % (n, h)); bad += 1; continue
            print("%s %s" % (posixpath.basename(n), h))
    sys.exit(1 if bad else 0)
elif cmd == "jpeg":
    # The JPEG's frame size from its SOF marker, and whether it ends well.
    b = z.read(sys.argv[3] if len(sys.argv) > 3 else "EPUB/images/cover.jpg")
    ok = b[:2] == b"\xff\xd8" and b[-2:] == b"\xff\xd9"
    i, size = 2, None
    while ok and i + 4 <= len(b) and b[i] == 0xFF:
        m, n = b[i + 1], int.from_bytes(b[i + 2:i + 4], "big")
        if m in (0xC0, 0xC1, 0xC2):
            size = "%dx%d" % (int.from_bytes(b[i + 7:i + 9], "big"), int.from_bytes(b[i + 5:i + 7], "big"))
            break
        i += 2 + n
    print("jpeg=%s %s" % ("ok" if ok and size else "bad", size))
EOF
bk() { python3 "$T/book.py" "$@"; }

# ---- cover, title page, colophon --------------------------------------------
expect_rc 0 "$SHEAF" build "$LINKS" -o "$T/links.epub" || fail "links book"
bk spine "$T/links.epub" >"$T/spine"
[ "$(head -1 "$T/spine")" = "cover titlepage nav ch0001 ch0002 ch0003 colophon" ] ||
  { fail "spine order"; cat "$T/spine" >&2; }
bk cover "$T/links.epub" >"$T/cover"
grep -qx 'cover-image=cover-image images/cover.jpg image/jpeg' "$T/cover" || fail "no generated cover-image"
grep -qx 'meta-cover=cover-image' "$T/cover" || fail "no EPUB 2 cover meta"
grep -qx 'landmark-cover=True' "$T/cover" || fail "cover not in the landmarks"
bk jpeg "$T/links.epub" | grep -qx 'jpeg=ok 1600x2560' || fail "the cover is not a 1600x2560 JPEG"
# Decodable by libjpeg's own tool, where it is installed.
if command -v djpeg >/dev/null 2>&1; then
  unzip -p "$T/links.epub" EPUB/images/cover.jpg | djpeg -pnm >"$T/cover.pnm" 2>"$T/djpeg.err" ||
    fail "djpeg cannot decode the cover"
  [ "$(head -c 2 "$T/cover.pnm")" = "P6" ] && head -2 "$T/cover.pnm" | grep -qx '1600 2560' ||
    fail "djpeg: the cover is not 1600x2560 RGB"
fi
unzip -p "$T/links.epub" EPUB/text/cover.xhtml >"$T/coverpage"
grep -q '<body class="sheaf-cover-page">' "$T/coverpage" || fail "cover page body class"
grep -q '<img src="../images/cover.jpg" alt="Linked Notes"/>' "$T/coverpage" || fail "cover page does not show the JPEG"
unzip -p "$T/links.epub" EPUB/text/title.xhtml >"$T/title"
grep -q '<p class="sheaf-count">3 articles</p>' "$T/title" || fail "title page count"
grep -q '1 January 2023 – 1 March 2023' "$T/title" || fail "title page dates"
grep -q 'https://blog.example.com/' "$T/title" || fail "title page sources"
unzip -p "$T/links.epub" EPUB/text/colophon.xhtml >"$T/colophon"
grep -q '<h1>About this book</h1>' "$T/colophon" || fail "colophon heading"
grep -q '<li><bdi>https://blog.example.com/</bdi></li>' "$T/colophon" || fail "colophon sources"
grep -q "made on 1 March 2023 by sheaf $VERSION" "$T/colophon" || fail "colophon build time is not the newest article"
SOURCE_DATE_EPOCH=1700000000 "$SHEAF" build "$LINKS" -o "$T/sde.epub" 2>/dev/null
unzip -p "$T/sde.epub" EPUB/text/colophon.xhtml | grep -q "made on 14 November 2023 by sheaf" ||
  fail "colophon ignores SOURCE_DATE_EPOCH"
expect_rc 0 "$SHEAF" build "$LINKS" -o "$T/links2.epub"
cmp -s "$T/links.epub" "$T/links2.epub" || fail "two builds differ"

# --cover: the user's JPEG; GIF and missing files are refused.
expect_rc 0 "$SHEAF" build "$LINKS" --cover "$FIX/images/pics/pic.jpg" -o "$T/jpgcover.epub"
bk cover "$T/jpgcover.epub" | grep -qx 'cover-image=cover-image images/cover.jpg image/jpeg' || fail "--cover JPEG"
unzip -p "$T/jpgcover.epub" EPUB/images/cover.jpg | cmp -s - "$FIX/images/pics/pic.jpg" || fail "--cover bytes changed"
expect_rc 1 "$SHEAF" build "$LINKS" --cover "$FIX/images/pics/anim.gif" -o "$T/x.epub" && expect_err 'JPEG or PNG'
expect_rc 2 "$SHEAF" build "$LINKS" --cover "$T/none.jpg" -o "$T/x.epub" && expect_err 'cover'
[ -e "$T/x.epub" ] && fail "a book was written with a bad --cover"

# Titles that are hard to set: long, one long word, CJK, right-to-left. Each
# gives a valid cover, the same bytes twice; what is cut is said.
cover_ok() { # BOOK NAME
  bk jpeg "$1" | grep -qx 'jpeg=ok 1600x2560' || fail "$2: cover is not a 1600x2560 JPEG"
}
expect_rc 0 "$SHEAF" build "$LINKS" --title "How the Digital Economy Transformed Entrepreneurship in China and What Britain Can Learn" -o "$T/long.epub"
cover_ok "$T/long.epub" "long title"
expect_rc 0 "$SHEAF" build -v "$LINKS" --title "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller" -o "$T/word.epub"
cover_ok "$T/word.epub" "one long word"
expect_rc 0 "$SHEAF" build -v "$LINKS" --title "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller" -o "$T/word2.epub"
cmp -s "$T/word.epub" "$T/word2.epub" || fail "one long word: two builds differ"
grep -q 'cover-title' "$T/err" && fail "one long word: cut instead of hyphenated"
expect_rc 0 "$SHEAF" build -v "$LINKS" --title "$(printf 'Notes %.0s' $(seq 1 200))" -o "$T/huge.epub"
cover_ok "$T/huge.epub" "huge title"
expect_err 'cut there with an ellipsis'
expect_rc 0 "$SHEAF" build -v "$LINKS" --title "数字经济如何改变了中国的创业精神以及英国可以从中学到什么" -o "$T/cjk.epub"
cover_ok "$T/cjk.epub" "CJK title"
grep -q 'cover-fonts' "$T/err" || fail "CJK title: the fallback to system fonts is not noted"
expect_rc 0 "$SHEAF" build -v "$LINKS" --language he --title "ספר על ארכיון האינטרנט" -o "$T/he.epub"
cover_ok "$T/he.epub" "Hebrew title"
expect_rc 0 "$SHEAF" build -v "$LINKS" --language he --title "ספר על ארכיון האינטרנט" -o "$T/he2.epub"
cmp -s "$T/he.epub" "$T/he2.epub" || fail "Hebrew title: two builds differ"

# calibre reads the title and the cover, where it is installed.
if command -v ebook-meta >/dev/null 2>&1; then
  ebook-meta "$T/links.epub" --get-cover="$T/calibre-cover.jpg" >"$T/meta" 2>&1 || fail "ebook-meta failed"
  grep -q '^Title *: Linked Notes$' "$T/meta" || fail "ebook-meta: no title"
  cmp -s "$T/calibre-cover.jpg" "$T/cover.jpg.orig" 2>/dev/null || {
    unzip -p "$T/links.epub" EPUB/images/cover.jpg >"$T/cover.jpg.orig"
    cmp -s "$T/calibre-cover.jpg" "$T/cover.jpg.orig" || fail "ebook-meta: not the cover JPEG"
  }
else
  echo "skip: ebook-meta (calibre) is not installed"
fi

# ---- links between articles -------------------------------------------------
bk links "$T/links.epub" >"$T/links" || { fail "a link inside the book is broken"; cat "$T/links" >&2; }
for want in "ch0001.xhtml ch0002.xhtml" "ch0001.xhtml ch0003.xhtml" "ch0001.xhtml #part-two" \
  "ch0002.xhtml ch0001.xhtml" "ch0003.xhtml ch0001.xhtml"; do
  grep -qx "$want" "$T/links" || fail "no link $want"
done
[ "$(grep -c '^ch0001.xhtml #part-two$' "$T/links")" = 2 ] || fail "both links to #part-two should stay in the chapter"
[ "$(grep -c '^ch0002.xhtml ch0001.xhtml$' "$T/links")" = 2 ] || fail "relative and ?p= links to the first post"
unzip -p "$T/links.epub" EPUB/text/ch0001.xhtml >"$T/ch1"
grep -q 'href="https://other.example.net/page/"' "$T/ch1" || fail "external link changed"
grep -q 'href="https://blog.example.com/2023/04/not-in-book/"' "$T/ch1" || fail "link to a post outside the book changed"
grep -q 'href="https://BLOG.example.com:443/2023/02/second-post/?utm=x#top"' "$T/ch1" || fail "a link with another query must stay absolute"

# ---- languages ------------------------------------------------------------------
expect_rc 0 "$SHEAF" build "$RTL" -o "$T/rtl.epub"
bk spine "$T/rtl.epub" | grep -qx 'ppd=rtl' || fail "no page-progression-direction=rtl"
for c in ch0001 ch0002; do
  unzip -p "$T/rtl.epub" "EPUB/text/$c.xhtml" >"$T/c"
  grep -q '<html [^>]*xml:lang="ar" lang="ar" dir="rtl">' "$T/c" || fail "$c html not ar/rtl"
  grep -q '<body dir="rtl">' "$T/c" || fail "$c body not rtl"
done
bk spine "$T/links.epub" | grep -qx 'ppd=None' || fail "a left-to-right book got a page direction"
# Without a language in the feed: --language, on every chapter.
sed '/<language>/d' "$LINKS" >"$T/nolang.rss"
expect_rc 0 "$SHEAF" build "$T/nolang.rss" --language fr -o "$T/fr.epub"
[ "$(unzip -p "$T/fr.epub" EPUB/text/ch0002.xhtml | grep -c 'xml:lang="fr" lang="fr"')" = 1 ] || fail "--language not on chapters"
# sheaf's own words follow the book's language...
unzip -p "$T/fr.epub" EPUB/nav.xhtml >"$T/nav"
grep -q '<h1>Table des matières</h1>' "$T/nav" || fail "French nav heading"
grep -q 'Second post <span class="toc-date">(1er février 2023)</span>' "$T/nav" || fail "French date in the nav"
grep -q 'href="text/title.xhtml">Page de titre</a>' "$T/nav" || fail "French landmark"
unzip -p "$T/fr.epub" EPUB/text/title.xhtml | grep -q '<p class="sheaf-count">3 articles</p>' ||
  fail "French count on the title page"
unzip -p "$T/fr.epub" EPUB/text/ch0002.xhtml | grep -q '<time class="sheaf-date" datetime="2023-02-01">1er février 2023</time>' ||
  fail "French date in a chapter"
# ...and where sheaf has none (Arabic), they are marked as English.
unzip -p "$T/rtl.epub" EPUB/nav.xhtml | grep -q '<h1 xml:lang="en" lang="en">Contents</h1>' ||
  fail "English nav heading not marked in an Arabic book"
unzip -p "$T/rtl.epub" EPUB/text/ch0001.xhtml | grep -q '<time class="sheaf-date" datetime="[0-9-]*" xml:lang="en" lang="en" dir="ltr">' ||
  fail "English date not marked in an Arabic chapter"

# ---- --css ----------------------------------------------------------------------
printf 'body { font-family: serif; }\n.sheaf-title { letter-spacing: 0.02em; }\n' >"$T/mine.css"
expect_rc 0 "$SHEAF" build "$LINKS" --css "$T/mine.css" -o "$T/css.epub"
unzip -p "$T/css.epub" EPUB/styles/user.css | cmp -s - "$T/mine.css" || fail "--css not copied"
unzip -p "$T/css.epub" EPUB/text/ch0001.xhtml | tr -d '\n' |
  grep -q 'href="../styles/sheaf.css"/><link rel="stylesheet" type="text/css" href="../styles/user.css"/>' ||
  fail "user stylesheet not linked after the default"
expect_rc 2 "$SHEAF" build "$LINKS" --css "$T/none.css" -o "$T/x.epub" && expect_err 'css'

epubcheck_many "$T/links.epub" "$T/sde.epub" "$T/jpgcover.epub" "$T/long.epub" "$T/cjk.epub" \
  "$T/word.epub" "$T/he.epub" \
  "$T/rtl.epub" "$T/fr.epub" "$T/css.epub"
finish
