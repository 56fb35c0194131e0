# Web archives as inputs: Debian's wget captures a loopback site (a feed
# sent gzip-compressed and chunked, an excerpt-only feed whose article page
# holds the whole text, an image behind a 301, a home page that is no
# article) with --warc-file, and sheaf builds the book from the WARC
# offline; then the same capture as an archive folder, a WACZ package, a
# plain .warc, one whole-file gzip stream, and cut short.
. "$SRCDIR/tests/e2e/lib/common.sh"

command -v wget >/dev/null 2>&1 || { echo "skip: wget is not installed"; exit 77; }
command -v unzip >/dev/null 2>&1 || { echo "skip: unzip is not installed"; exit 77; }

S="$T/site"
mkdir -p "$S/images" "$S/notes/whole"
cp "$SRCDIR/examples/images/plane-iron.png" "$S/images/"
echo "/2024/05/sharpening/images/plane-iron.png /images/plane-iron.png" >"$S/.redirects"
timeout 120 python3 "$SRCDIR/tests/e2e/lib/site_server.py" "$S" "$T/port" 100 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { fail "the loopback server did not start"; finish; }
P=$(cat "$T/port")
U="http://127.0.0.1:$P"

# The example feed as the site's own; its relative image URL resolves
# below an article and is redirected to the one copy.
sed "s|https://field-notes.example.org/|$U/|g" "$SRCDIR/examples/field-notes.rss" >"$S/feed.rss"
cat >"$S/excerpts.rss" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Field Notes excerpts</title><link>$U/</link>
<description>x</description>
<item><title>A page with its whole text</title><link>$U/notes/whole/</link>
<guid>$U/?p=77</guid><pubDate>Tue, 02 Jul 2024 09:00:00 +0000</pubDate>
<category>archiving</category>
<description><![CDATA[<p>Only the opening lines [&#8230;]</p>]]></description></item>
</channel></rss>
EOF
cat >"$S/notes/whole/index.html" <<EOF
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>A page with its whole text - Field Notes</title>
<meta property="og:title" content="A page with its whole text">
</head><body><nav><a href="/">Home</a> SITE-NAVIGATION</nav>
<article><h1>A page with its whole text</h1>
<p>Only the opening lines, and then WHOLE-TEXT-MARKER the rest of it.</p>
<p><img src="/images/plane-iron.png" alt="The same plane iron"></p></article>
</body></html>
EOF
cat >"$S/index.html" <<EOF
<!DOCTYPE html><html><head><title>Field Notes</title></head>
<body><h1>Welcome</h1><p>HOME-PAGE-MARKER</p></body></html>
EOF
printf '%s\n' "$U/" "$U/feed.rss" "$U/excerpts.rss" "$U/notes/whole/" \
  "$U/2024/05/sharpening/images/plane-iron.png" "$U/missing.html" >"$T/urls"

(cd "$T" && timeout 60 wget -q --tries=1 --timeout=10 --warc-file=cap -P dl -i urls)
[ -s "$T/cap.warc.gz" ] || { fail "wget wrote no WARC"; finish; }
# A second run later: one post was edited (same guid and dates).
sed -i "s|it should leave a surface that shines|SECOND-CAPTURE-TEXT|" "$S/feed.rss"
(cd "$T" && timeout 60 wget -q --tries=1 --timeout=10 --warc-file=cap2 -P dl2 "$U/feed.rss")
kill $server 2>/dev/null

chapters() { unzip -p "$1" 'EPUB/text/ch*.xhtml'; }
nchapters() { unzip -l "$1" | grep -c 'EPUB/text/ch[0-9]*\.xhtml'; }

# The book from the WARC.
if expect_rc 0 "$SHEAF" build "$T/cap.warc.gz" -o "$T/book.epub"; then
  chapters "$T/book.epub" >"$T/text"
  for want in "Sharpening a plane iron" "Labelling boxes for the next person" \
    "Why we keep paper notebooks" "Formats that last" "WHOLE-TEXT-MARKER"; do
    grep -q "$want" "$T/text" || fail "the book lacks: $want"
  done
  for unwanted in "HOME-PAGE-MARKER" "SITE-NAVIGATION" "not found" "Only the opening lines \["; do
    ! grep -q "$unwanted" "$T/text" || fail "the book holds: $unwanted"
  done
  [ "$(nchapters "$T/book.epub")" = 5 ] || fail "chapters: $(nchapters "$T/book.epub"), want 5"
  [ "$(unzip -l "$T/book.epub" | grep -c 'EPUB/images/.*\.png')" = 1 ] ||
    fail "the image is not embedded exactly once"
  [ "$(grep -c '<img src="../images/' "$T/text")" = 2 ] || fail "two <img> should show it"
  ! grep -q "not embedded" "$T/err" || fail "an image was left out: $(cat "$T/err")"
  grep -q "$U/feed.rss" "$T/book.epub" 2>/dev/null || unzip -p "$T/book.epub" | grep -q "$U/" ||
    fail "the book does not name the archive's URLs"
  epubcheck "$T/book.epub"
  pass "book from wget's WARC"
fi

# Tag selection works as on any feed.
expect_rc 0 "$SHEAF" list "$T/cap.warc.gz" --tag archiving &&
  { [ "$(wc -l <"$T/out")" = 4 ] || fail "--tag archiving: $(cat "$T/out")"; }

# The fetch output form: a folder of .warc.gz files, read in name order.
mkdir "$T/arch"
cp "$T/cap.warc.gz" "$T/arch/sheaf-20240101000000.warc.gz"
expect_rc 0 "$SHEAF" build "$T/arch" -o "$T/folder.epub" &&
  { [ "$(nchapters "$T/folder.epub")" = 5 ] || fail "folder: $(nchapters "$T/folder.epub") chapters"; }
# The next run's file: the newest capture of the edited post wins.
cp "$T/cap2.warc.gz" "$T/arch/sheaf-20240102000000.warc.gz"
if expect_rc 0 "$SHEAF" build "$T/arch" -o "$T/folder2.epub"; then
  [ "$(nchapters "$T/folder2.epub")" = 5 ] || fail "two runs: $(nchapters "$T/folder2.epub") chapters"
  chapters "$T/folder2.epub" >"$T/text2"
  grep -q "SECOND-CAPTURE-TEXT" "$T/text2" || fail "the newest capture is not in the book"
  ! grep -q "surface that shines" "$T/text2" || fail "the older capture is in the book"
fi

# WACZ: a zip with archive/*.warc.gz.
mkdir -p "$T/wacz/archive"
cp "$T/cap.warc.gz" "$T/wacz/archive/data.warc.gz"
echo '{"profile":"data-package","resources":[]}' >"$T/wacz/datapackage.json"
(cd "$T/wacz" && zip -q -0 ../cap.wacz archive/data.warc.gz datapackage.json)
expect_rc 0 "$SHEAF" build "$T/cap.wacz" -o "$T/wacz.epub" &&
  { [ "$(nchapters "$T/wacz.epub")" = 5 ] || fail "WACZ: $(nchapters "$T/wacz.epub") chapters"; }

# Uncompressed, and one gzip stream for the whole file.
gunzip -c "$T/cap.warc.gz" >"$T/plain.warc"
gzip -c "$T/plain.warc" >"$T/whole.warc.gz"
for f in plain.warc whole.warc.gz; do
  expect_rc 0 "$SHEAF" build "$T/$f" -o "$T/$f.epub" &&
    { [ "$(nchapters "$T/$f.epub")" = 5 ] || fail "$f: $(nchapters "$T/$f.epub") chapters"; }
done

# Cut short (a capture killed mid-write): a warning, the rest is used.
size=$(wc -c <"$T/cap.warc.gz")
head -c $((size - 300)) "$T/cap.warc.gz" >"$T/cut.warc.gz"
expect_rc 0 "$SHEAF" build "$T/cut.warc.gz" -o "$T/cut.epub" && expect_err "truncated" &&
  { [ "$(nchapters "$T/cut.epub")" = 5 ] || fail "cut: $(nchapters "$T/cut.epub") chapters"; }

# Not a WARC after all: a clear error with the offset.
printf 'WARC/1.1\r\nContent-Length: x\r\n\r\n' >"$T/bad.warc"
expect_rc 2 "$SHEAF" build "$T/bad.warc" -o "$T/bad.epub" && expect_err "bad.warc.*offset 0"

finish
