# The bundled example feed (the one `make demo` uses): every article in the
# book with all its text, EPUBCheck clean, and the selection options working
# on real tags.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"

expect_rc 0 "$SHEAF" build "$EX" -o "$T/all.epub" && pass "whole feed built"
$CHECK structure "$T/all.epub" || fail "structure"
epubcheck "$T/all.epub"
$CHECK text "$T/all.epub" "$EX" || fail "article text"
$CHECK contains "$T/all.epub" "一个例子" || fail "Chinese text"
# The example's one picture sits beside the feed: embedded, once, no warning.
[ "$(unzip -l "$T/all.epub" | grep -c 'EPUB/images/[0-9a-f]*\.png')" -eq 1 ] || fail "the example's image is not embedded once"
grep -q "warning" "$T/err" && fail "warnings building the example: $(cat "$T/err")"

expect_rc 0 "$SHEAF" build "$EX" --tag archiving -o "$T/archiving.epub"
epubcheck "$T/archiving.epub"
$CHECK chapters "$T/archiving.epub" >"$T/ch"
printf '%s\n' "Why we keep paper notebooks" "Formats that last" \
  "Labelling boxes for the next person" >"$T/want"
cmp -s "$T/ch" "$T/want" || { fail "--tag archiving chapters"; cat "$T/ch" >&2; }
$CHECK text "$T/archiving.epub" "$EX" --subset || fail "subset text"
$CHECK meta "$T/archiving.epub" >"$T/meta"
grep -qx 'title=Archiving' "$T/meta" || fail "title from tag"
grep -qx 'publisher=Field Notes' "$T/meta" || fail "publisher from feed"
finish
