# Identical input gives a byte-identical book, whatever the clock says;
# SOURCE_DATE_EPOCH sets the modification time.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"

expect_rc 0 "$SHEAF" build "$EX" -o "$T/a.epub"
sleep 1
expect_rc 0 "$SHEAF" build "$EX" -o "$T/b.epub"
cmp "$T/a.epub" "$T/b.epub" && pass "two builds are byte-identical" || fail "builds differ"

expect_rc 0 env SOURCE_DATE_EPOCH=1700000000 "$SHEAF" build "$EX" -o "$T/c.epub"
$CHECK meta "$T/c.epub" | grep -qx 'dcterms:modified=2023-11-14T22:13:20Z' || fail "SOURCE_DATE_EPOCH ignored"
epubcheck "$T/c.epub"
finish
