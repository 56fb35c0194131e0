# Images: every way a post holds a picture (tests/fixtures/images, made by
# its make.py) becomes either an embedded file, stored once under its
# content hash, or its alt text with one warning saying why. Nothing outside
# the allowed folders is opened (checked with strace when it can run).
. "$SRCDIR/tests/e2e/lib/common.sh"

B="$T/book"
cp -R "$FIX/images" "$B"
ROOT=$(cd "$B" && pwd -P)
sed "s|@ROOT@|$ROOT|" "$FIX/images/feed.rss" >"$B/feed.rss"
# Real files just outside the input folder, which an escape would reach.
cp "$B/pics/lazy.png" "$T/outside.png"
ln -s ../../outside.png "$B/pics/link.png"

# Python helper: reads a book's chapters, prints "alt<TAB>src" for each
# <img> and "text<TAB>alt" for alt texts left as text.
cat >"$T/imgs.py" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for n in sorted(names):
    if not re.match(r"EPUB/text/ch\d+\.xhtml$", n):
        continue
    s = z.read(n).decode()
    for m in re.finditer(r'<img src="([^"]*)" alt="([^"]*)"/>', s):
        src = m.group(1)
        target = "EPUB/" + src[3:]
        if not src.startswith("../images/") or target not in names:
            print("BROKEN\t" + src)
        print("%s\t%s" % (m.group(2), src[len("../images/"):]))
EOF
imgs() { python3 "$T/imgs.py" "$1"; }
hash_of() { sha1sum "$1" | cut -d' ' -f1; }

STRACE=
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
  # LeakSanitizer cannot run under ptrace: off for this one command (the
  # sanitizer run still checks every other command for leaks).
  STRACE="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=open,openat,creat -o $T/trace"
else
  echo "note: strace cannot run here; the no-read-outside check is skipped"
fi

# ---- the feed, with the mirror -----------------------------------------------
# shellcheck disable=SC2086
if expect_rc 0 $STRACE "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" -v -o "$T/img.epub"; then
  pass "picture book built"
fi
$CHECK structure "$T/img.epub" || fail "structure"
imgs "$T/img.epub" >"$T/imgs"
grep -q BROKEN "$T/imgs" && fail "an <img> points at no file of the book"

want_img() { # ALT FILE: the picture with alt ALT is FILE's bytes
  got=$(awk -F'\t' -v a="$1" '$1 == a { print $2 }' "$T/imgs")
  want=$(hash_of "$2")
  case "$got" in
    "$want".*) pass "embedded: $1" ;;
    *) fail "'$1' is '$got', want $want (from $2)" ;;
  esac
}
want_img "A red photo" "$B/pics/photo.png"
want_img "the red photo again" "$B/pics/dup.png"
want_img "A grey JPEG" "$B/pics/pic.jpg"
want_img "a dot" "$B/pics/anim.gif"
want_img "inline PNG" "$B/pics/data-fallback.png"
want_img "filed" "$B/pics/filed.png"
want_img "lazy picture" "$B/pics/lazy.png"
want_img "srcset picture" "$B/pics/photo.png"        # widest <= 1600
want_img "picture element" "$B/pics/photo-mid.png"  # <source>, not the WebP
want_img "noscript picture" "$B/pics/noscript.png"
want_img "from the mirror" "$B/mirror/example.org/wp-content/uploads/2023/01/mirror.png"
want_img "chart with a query" "$B/mirror/example.org/img/chart.png?v=2"
want_img "scheme-relative" "$B/mirror/example.org/img/plain.png"
[ "$(grep -c '^noscript picture	' "$T/imgs")" = 1 ] || fail "the noscript picture is shown twice"
$CHECK lacks "$T/img.epub" "noscript picture</p>" || fail "noscript alt text left beside its picture"

# Each distinct picture once: 13 hashes (the WebP converted) plus the cover.
n=$(unzip -Z1 "$T/img.epub" | grep -c '^EPUB/images/[0-9a-f]\{40\}\.')
[ "$n" = 13 ] || fail "$n distinct image files stored, want 13"
unzip -Z1 "$T/img.epub" | grep -q '^EPUB/images/cover.jpg$' || fail "no generated cover"
[ "$(unzip -Z1 "$T/img.epub" | grep -c '^EPUB/images/')" = 14 ] || fail "images/ holds strays"

# The SVG is stored without its script, handlers and external references.
svg=$(awk -F'\t' '$1 == "a drawing" { print $2 }' "$T/imgs")
unzip -p "$T/img.epub" "EPUB/images/$svg" >"$T/drawing.svg"
for bad in '<script' 'onload' 'onclick' 'foreignObject' 'tracker.example.net' 'javascript:'; do
  grep -q "$bad" "$T/drawing.svg" && fail "SVG keeps $bad"
done
grep -q '<rect' "$T/drawing.svg" || fail "SVG lost its drawing"

# What was not embedded, and why: one warning each, alt text kept.
missing() { # REASON URL ALT
  grep -F "image not embedded ($1): $2;" "$T/err" >/dev/null || fail "no warning '$1' for $2"
  $CHECK contains "$T/img.epub" "$3" || fail "alt text '$3' lost"
  grep -q "^$3	" "$T/imgs" && fail "'$3' was embedded"
}
missing "outside the folders images may come from" "../outside.png" "escape attempt"
missing "outside the folders images may come from" "pics/../../outside.png" "second escape attempt"
missing "outside the folders images may come from (a link points out)" "pics/link.png" "symlink out"
missing "outside the folders images may come from" "file:///etc/passwd" "password file"
missing "not a JPEG, PNG, GIF or SVG image" "pics/fake.png" "not a picture"
missing "not a regular file" "pics" "a folder"
missing "no such file beside the input or in the --assets mirror" "pics/gone.png" "missing picture"
missing "not in the --assets mirror" "https://cdn.example.net/x/remote.png" "remote only"
[ "$(grep -c '\[missing-image\]' "$T/err")" = 8 ] || fail "not exactly 8 missing-image warnings"
expect_err 'note: images: 15 embedded, 8 not embedded' || true
# The WebP (a lossless 1x1 picture) became a PNG.
case "$(awk -F'\t' '$1 == "a WebP" { print $2 }' "$T/imgs")" in
  *.png) pass "WebP converted to PNG" ;;
  *) fail "the WebP was not converted to PNG" ;;
esac
unzip -p "$T/img.epub" EPUB/content.opf | grep -q 'image/webp' && fail "a WebP left in the book"
unzip -p "$T/img.epub" EPUB/text/ch0004.xhtml | grep -q '<figure><span class="sheaf-missing-image"><span class="sheaf-missing-kind">Image: </span><a href="[^"]*gone.png">missing picture</a></span><figcaption>Caption of the missing one</figcaption></figure>' \
  || fail "missing picture not shown as a placeholder in its figure"

# Nothing outside the input folder (and the mirror inside it) was opened.
if [ -n "$STRACE" ]; then
  sed -n 's/.*open[a-z]*([^"]*"\([^"]*\)".*/\1/p' "$T/trace" | sort -u >"$T/opened"
  # The command links libsheaf.so, found through its RPATH: the build
  # tree's folder of the library, where the loader also probes for libc.
  LIBDIR=$(dirname "$(ldd "$SHEAF" 2>/dev/null | sed -n 's/.*libsheaf[^ ]* => \(.*\) (.*/\1/p')")
  bad=$(grep -v -E '^(/lib|/usr|/etc/ld\.so|/etc/localtime|/etc/ssl|/proc|/sys|/dev)' "$T/opened" |
    grep -v -F "$ROOT/" | grep -v -E "^$B/feed.rss$|^$T/img.epub" |
    grep -v -x -F -e "$T" -e "." |  # the output's folder, its O_TMPFILE ("." in it)
    grep -v -E "^${TMPDIR:-/tmp}/sheaf-spool-[A-Za-z0-9]{6}$" |  # the spool (created, never read from elsewhere)
    grep -v -E "^$LIBDIR/.*\.so(\.[0-9]+)*$" |  # the loader finding libsheaf.so (RPATH)
    # the cover's fonts, and fontconfig's configuration and caches (pango
    # reads them when it starts, whatever fonts the cover then uses)
    grep -v -F "$SRCDIR/assets/fonts/" | grep -v -E '^/etc/fonts/|/\.?(cache/)?fontconfig/')
  [ -z "$bad" ] || fail "opened outside the allowed folders: $bad"
  grep -q -F "$T/outside.png" "$T/opened" && fail "opened $T/outside.png"
  grep -q '^/etc/passwd$' "$T/opened" && fail "opened /etc/passwd"
  grep -q -F "$ROOT/pics/photo.png" "$T/opened" || fail "strace saw no image read"
  pass "nothing opened outside the allowed folders ($(wc -l <"$T/opened") paths)"
fi

# ---- options --------------------------------------------------------------
expect_rc 0 "$SHEAF" build "$B/feed.rss" -o "$T/nomirror.epub" &&
  expect_err 'image not embedded \(remote, and no local copy \(see --assets\)\): https://example.org/wp-content/uploads/2023/01/mirror.png'
expect_rc 0 "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" --max-image-width 300 -o "$T/narrow.epub"
imgs "$T/narrow.epub" >"$T/imgs"
want_img "srcset picture" "$B/pics/photo-small.png"
expect_rc 0 "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" --max-image-size 100 -o "$T/small.epub" &&
  expect_err 'image not embedded \(larger than --max-image-size\): pics/pic.jpg' &&
  expect_err 'image not embedded \(larger than --max-image-size\): /img/chart.png\?v=2'
expect_rc 0 "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" --original-images -o "$T/orig.epub" &&
  expect_err 'image not embedded \(WebP, which EPUB 3.2 readers need not show, and --original-images keeps it from being converted; --keep-webp embeds it\): pics/pic.webp'
expect_rc 0 "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" --keep-webp -o "$T/webp.epub"
unzip -p "$T/webp.epub" EPUB/content.opf | grep -q 'media-type="image/webp"' || fail "--keep-webp kept no WebP"
expect_rc 1 "$SHEAF" build "$B/feed.rss" --max-image-width wide -o "$T/x.epub" && expect_err 'max-image-width'
expect_rc 1 "$SHEAF" build "$B/feed.rss" --assets "$T/no-such-dir" -o "$T/x.epub" && expect_err 'assets'
[ -e "$T/x.epub" ] && fail "a book was written with a bad --assets"

# Same input, same bytes.
expect_rc 0 "$SHEAF" build "$B/feed.rss" --assets "$B/mirror" -o "$T/img2.epub"
cmp -s "$T/img.epub" "$T/img2.epub" || fail "two builds of the picture book differ"

# ---- the same paths named again, in later chapters -----------------------------
# What a path leads to is looked up once and then remembered (images.c):
# each later naming must come out as the first did, picture or warning.
{
  echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Again</title>'
  for k in 1 2 3; do
    echo "<item><title>Again $k</title><description>&lt;p&gt;&lt;img src=\"pics/photo.png\" alt=\"photo $k\"&gt;"
    echo "&lt;img src=\"pics/gone.png\" alt=\"gone $k\"&gt; &lt;img src=\"pics/link.png\" alt=\"link $k\"&gt;"
    echo "&lt;img src=\"./pics/../pics/dup.png\" alt=\"dup $k\"&gt;&lt;/p&gt;</description></item>"
  done
  echo '</channel></rss>'
} >"$B/again.rss"
if expect_rc 0 "$SHEAF" build "$B/again.rss" -o "$T/again.epub"; then
  imgs "$T/again.epub" >"$T/imgs"
  for k in 1 2 3; do
    want_img "photo $k" "$B/pics/photo.png"
    want_img "dup $k" "$B/pics/dup.png"
  done
  [ "$(grep -c 'image not embedded (no such file): pics/gone.png;' "$T/err")" = 3 ] ||
    fail "not one 'no such file' warning per chapter"
  [ "$(grep -c 'image not embedded (outside the folders images may come from (a link points out)): pics/link.png;' "$T/err")" = 3 ] ||
    fail "not one 'a link points out' warning per chapter"
fi

# ---- a WordPress export with its uploads folder beside it ---------------------
if expect_rc 0 "$SHEAF" build "$B/wxr/export.xml" -o "$T/wxr.epub"; then
  imgs "$T/wxr.epub" >"$T/imgs"
  want_img "The header" "$B/wxr/uploads/2023/02/header.jpg"   # from header-300x200.jpg
  want_img "inline upload" "$B/wxr/uploads/2023/02/inline.png"
  expect_err 'image not embedded \(not in the uploads folder\): https://blog.example.com/wp-content/uploads/2023/02/missing.png'
fi

epubcheck_many "$T/img.epub" "$T/nomirror.epub" "$T/narrow.epub" "$T/small.epub" "$T/wxr.epub" \
  "$T/again.epub"
finish
