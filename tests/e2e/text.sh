# What the one-of-each helpers promise at the command line: a feed title's
# HTML character references read as characters in `sheaf list` and in the
# book, and every size option takes the same K, M and G suffixes.
. "$SRCDIR/tests/e2e/lib/common.sh"

cat >"$T/cafe.rss" <<'RSS'
<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>
<item><title>Caf&amp;eacute; &amp;frac12; &amp;bogus;</title><description>d</description>
<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate></item></channel></rss>
RSS
expect_rc 0 "$SHEAF" list "$T/cafe.rss" &&
  grep -q "Café ½ &bogus;" "$T/out" && pass "list: Caf&amp;eacute; reads Café" ||
  fail "list: $(cat "$T/out")"
expect_rc 0 "$SHEAF" build "$T/cafe.rss" -o "$T/cafe.epub" &&
  $CHECK contains "$T/cafe.epub" "Café ½ &bogus;" && pass "book: Café" ||
  fail "book: the title is not Café"
epubcheck "$T/cafe.epub"

before=$failures
for opt in --max-image-size --max-input-size --max-article-size; do
  for v in 1G 800M 300K 2048; do
    expect_rc 0 "$SHEAF" build -q "$T/cafe.rss" "$opt" "$v" -o "$T/s.epub" ||
      fail "$opt $v refused"
  done
  expect_rc 1 "$SHEAF" build "$T/cafe.rss" "$opt" 1T -o "$T/s.epub" &&
    expect_err "$opt wants a size" || fail "$opt 1T accepted"
done
[ "$failures" -eq "$before" ] && pass "size options: K, M, G alike"
expect_rc 1 "$SHEAF" build "$T/cafe.rss" --max-image-width 1K -o "$T/s.epub" &&
  expect_err "--max-image-width wants a number of pixels" && pass "--max-image-width 1K: usage error"

finish
