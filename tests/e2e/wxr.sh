# WordPress exports (WXR): per-tag books of the theme unit test data checked
# against titles derived independently from the export (lib/wxr_expect.py),
# tag counts, every export of the WordPress importer's test data (built, or
# refused with file:line when malformed), the block-editor test data; every
# book through EPUBCheck in one batch.
. "$SRCDIR/tests/e2e/lib/common.sh"
need_corpus
EXPECT="python3 $SRCDIR/tests/e2e/lib/wxr_expect.py"
TU="$CORPUS/wordpress-theme-test-data/themeunittestdata.wordpress.xml"
BLOCKS="$CORPUS/wordpress-theme-test-data/64-block-test-data.xml"
PHPUNIT="$CORPUS/wordpress-importer/phpunit/data"
books=""
ntags=0
nbuilt=0

# 1. Tag counts, then one book per tag or category with two posts or more.
expect_rc 0 "$SHEAF" list "$TU" --tags
sort "$T/out" >"$T/got-counts"
$EXPECT counts "$TU" >"$T/want-counts"
if cmp -s "$T/got-counts" "$T/want-counts"; then
  pass "tag counts of the theme unit test data"
else
  fail "tag counts differ"
  diff "$T/want-counts" "$T/got-counts" | head -20 >&2
fi

$EXPECT tags "$TU" >"$T/tags"
while IFS='	' read -r slug titles; do
  book="$T/tag-$slug.epub"
  expect_rc 0 "$SHEAF" build "$TU" --tag "$slug" -o "$book" || continue
  printf '%s\n' "$titles" | tr '|' '\n' | sort >"$T/want"
  $CHECK chapters "$book" | sort >"$T/got"
  if cmp -s "$T/want" "$T/got"; then
    ntags=$((ntags + 1))
  else
    fail "--tag $slug: chapters differ"
    diff "$T/want" "$T/got" | head -10 >&2
  fi
  books="$books $book"
done <"$T/tags"
[ "$ntags" -ge 20 ] || fail "only $ntags tags checked"
# [gallery] images keep their alt text (the attachment's postmeta) and
# captions (its excerpt), which only the attachments hold.
if [ -e "$T/tag-gallery.epub" ]; then
  # Each picture not in the book is a placeholder of its own: "Image: alt".
  { $CHECK contains "$T/tag-gallery.epub" "Image: dsc20050727_091048_222" &&
    $CHECK contains "$T/tag-gallery.epub" "Image: dsc20050813_115856_52"; } ||
    fail "[gallery]: alt texts lost"
  unzip -p "$T/tag-gallery.epub" 'EPUB/text/ch*.xhtml' |
    grep -q '<figcaption class="gallery-caption">Bell on wharf in San Francisco</figcaption>' ||
    fail "[gallery]: captions lost"
else
  fail "no book for the gallery tag"
fi
pass "$ntags tag books have exactly the expected chapters"

# 2. The WordPress importer's test exports.
for f in "$PHPUNIT"/*.xml; do
  name=$(basename "$f" .xml)
  case $($EXPECT kind "$f") in
  malformed)
    expect_rc 2 "$SHEAF" build "$f" -o "$T/$name.epub" &&
      expect_err "$(basename "$f"):[0-9]+:" && pass "$name refused with its line"
    ;;
  empty)
    expect_rc 3 "$SHEAF" build "$f" -o "$T/$name.epub" && pass "$name: no published post"
    ;;
  *)
    if expect_rc 0 "$SHEAF" build "$f" -o "$T/$name.epub"; then
      books="$books $T/$name.epub"
      nbuilt=$((nbuilt + 1))
    fi
    ;;
  esac
done
pass "$nbuilt importer exports built"

# Edge cases kept whole: CDATA split around "]]>", backslashes, UTF-8.
$CHECK contains "$T/crazy-cdata-escaped.epub" "Content with nested <![CDATA[ tags ]]> :)" ||
  fail "split CDATA"
$CHECK contains "$T/backslashes.epub" 'C:\xampp\htdocs\wp-content' || fail "backslashes"
$CHECK contains "$T/multiple-cdata.epub" "line oneline twoline three" || fail "CDATA sections"
$CHECK meta "$T/wxr-utf-8-challenges.epub" >"$T/meta"
grep -q "🚀" "$T/meta" || fail "UTF-8 title"
$CHECK contains "$T/blank-lines.epub" "second paragraph" || fail "blank lines"

# 3. Block-editor content.
expect_rc 0 "$SHEAF" build "$BLOCKS" -o "$T/blocks.epub" && books="$books $T/blocks.epub"

# shellcheck disable=SC2086
epubcheck_many $books
finish
