#!/bin/sh
# make preview: builds four books (the demo, one with pictures, one in a
# right-to-left script, one in Chinese) and renders their first pages (the
# cover, the title page, the contents and the first chapter) to PNG files
# in build/preview/ with headless Chromium, so anyone can look at them.
# Not part of `make check`: Chromium is large. Usage: preview.sh SHEAF OUT
set -eu
SHEAF=${1:-build/src/sheaf}
OUT=${2:-build/preview}
SRC=$(cd "$(dirname "$0")/.." && pwd)
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
  echo "preview: Chromium is not installed; as root: apt-get install chromium" >&2
  exit 77
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT

"$SHEAF" build -q "$SRC/examples/field-notes.rss" -o "$OUT/demo.epub"
"$SHEAF" build -q "$SRC/tests/fixtures/images/feed.rss" --assets "$SRC/tests/fixtures/images/mirror" \
  -o "$OUT/images.epub"
"$SHEAF" build -q "$SRC/tests/fixtures/rtl.rss" -o "$OUT/rtl.epub"
"$SHEAF" build -q "$SRC/examples/cjk.rss" -o "$OUT/cjk.epub"

for book in demo images rtl cjk; do
  mkdir -p "$OUT/$book"
  (cd "$OUT/$book" && unzip -q -o "../$book.epub")
  for page in text/cover.xhtml text/title.xhtml nav.xhtml text/ch0001.xhtml; do
    name=$(basename "$page" .xhtml)
    # An e-reader's page: 600x900 CSS pixels, twice as dense.
    "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$PROFILE" --hide-scrollbars --force-device-scale-factor=1 \
      --window-size=600,900 --screenshot="$OUT/$book-$name.png" \
      "file://$OUT/$book/EPUB/$page" >/dev/null 2>&1 || echo "preview: $book $page failed" >&2
  done
done
ls "$OUT"/*.png
echo "preview: open the PNG files in $OUT"
