# Identical input gives a byte-identical book, whatever the clock says;
# SOURCE_DATE_EPOCH sets the modification time.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"

expect_rc 0 "$SHEAF" build "$EX" -o "$T/a.epub"
sleep 1
expect_rc 0 "$SHEAF" build "$EX" -o "$T/b.epub"
cmp "$T/a.epub" "$T/b.epub" && pass "two builds are byte-identical" || fail "builds differ"

# The same bytes whatever the number of compression threads.
expect_rc 0 "$SHEAF" build "$EX" --threads 1 -o "$T/t1.epub"
expect_rc 0 "$SHEAF" build "$EX" --threads 3 -o "$T/t3.epub"
cmp -s "$T/t1.epub" "$T/t3.epub" && cmp -s "$T/t1.epub" "$T/a.epub" || fail "thread count changed the book"
expect_rc 1 "$SHEAF" build "$EX" --threads many && expect_err "threads"

expect_rc 0 env SOURCE_DATE_EPOCH=1700000000 "$SHEAF" build "$EX" -o "$T/c.epub"
$CHECK meta "$T/c.epub" | grep -qx 'dcterms:modified=2023-11-14T22:13:20Z' || fail "SOURCE_DATE_EPOCH ignored"
epubcheck "$T/c.epub"
finish
