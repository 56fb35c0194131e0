# Tags match case-insensitively in every script (Unicode case folding and
# NFC through utf8proc): --tag тема finds an article tagged Тема, --tag
# straße one tagged STRASSE (and a Markdown post whose YAML front matter
# says Straße), a composed é one whose tag was typed e + U+0301. Checked by
# the text of the selected articles in the built books.
. "$SRCDIR/tests/e2e/lib/common.sh"
U="$FIX/unicode-tags"

book() { # book NAME TAG: builds the feed and the post with --tag TAG
  name=$1
  shift
  expect_rc 0 "$SHEAF" build "$U/feed.rss" "$U/2024-01-05-walk.md" --tag "$1" \
    -o "$T/$name.epub" || return 1
}

book theme "тема"
$CHECK contains "$T/theme.epub" "Text about the theme." || fail "тема finds Тема"
$CHECK lacks "$T/theme.epub" "Text about the street." || fail "тема: only Тема"
$CHECK lacks "$T/theme.epub" "Unrelated text." || fail "тема: not other"
epubcheck "$T/theme.epub"

book theme-upper "ТЕМА"
$CHECK contains "$T/theme-upper.epub" "Text about the theme." || fail "ТЕМА finds Тема"

book street "straße"
$CHECK contains "$T/street.epub" "Text about the street." || fail "straße finds STRASSE"
$CHECK contains "$T/street.epub" "Text of the walk." || fail "straße finds the post's Straße"
$CHECK lacks "$T/street.epub" "Text about the theme." || fail "straße: not Тема"

book street-ascii "strasse"
$CHECK contains "$T/street-ascii.epub" "Text of the walk." || fail "strasse finds Straße"

book summer "été"
$CHECK contains "$T/summer.epub" "Text about summer." || fail "composed été finds decomposed Été"
$CHECK lacks "$T/summer.epub" "Unrelated text." || fail "été: not other"

# No match stays no match: "тем" is not "тема", "ete" is not "été".
expect_rc 3 "$SHEAF" build "$U/feed.rss" --tag "тем" -o "$T/none.epub"
expect_rc 3 "$SHEAF" build "$U/feed.rss" --tag "ete" -o "$T/none.epub"

# One tag per spelling in the list of tags.
expect_rc 0 "$SHEAF" list "$U/feed.rss" "$U/2024-01-05-walk.md" --tags
grep -c . "$T/out" | grep -qx 5 || fail "tags listed once each: $(cat "$T/out")"
finish
