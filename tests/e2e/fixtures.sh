# Our own fixtures: Atom with every content type, and a feed of hostile HTML
# whose dangerous parts must be gone while its text stays.
. "$SRCDIR/tests/e2e/lib/common.sh"

expect_rc 0 "$SHEAF" build "$FIX/atom-basic.atom" -o "$T/atom.epub" && pass "atom built"
$CHECK structure "$T/atom.epub" || fail "structure"
epubcheck "$T/atom.epub"
$CHECK text "$T/atom.epub" "$FIX/atom-basic.atom" || fail "atom text"
$CHECK meta "$T/atom.epub" >"$T/meta"
grep -qx 'language=fr' "$T/meta" || fail "xml:lang of the feed"
$CHECK contains "$T/atom.epub" "Tout va bien & les plantes ont survécu <sans arrosage>." || fail "text content escaped"
expect_rc 0 "$SHEAF" list "$FIX/atom-basic.atom" --tag "été 2024"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "category label as tag name"

expect_rc 0 "$SHEAF" build "$FIX/hostile.rss" -o "$T/hostile.epub" && pass "hostile built"
$CHECK structure "$T/hostile.epub" || fail "structure"
epubcheck "$T/hostile.epub"
$CHECK text "$T/hostile.epub" "$FIX/hostile.rss" || fail "hostile text"
for bad in SCRIPT-RAN JS-LINK FRAME-TEXT STYLE-TEXT INPUT-VALUE OBJECT-TEXT IMG-ONERROR \
           "javascript:" "JaVaScRiPt" "vbscript:" "data:text/html" "onclick" "onerror" \
           "<script" "<iframe" "<form" "<style" "appeared first on"; do
  $CHECK lacks "$T/hostile.epub" "$bad" || fail "hostile content kept: $bad"
done
for good in "Before the script." "bad link" "Styled text stays." "Block inside inline." \
            "Loose text in a list" "Cell without a row" "Inside a form paragraph." \
            "with an entity and a bare & ampersand"; do
  $CHECK contains "$T/hostile.epub" "$good" || fail "text lost: $good"
done
$CHECK chapters "$T/hostile.epub" | grep -qx 'Entities & <markup> in a title' || fail "title entities"
finish
