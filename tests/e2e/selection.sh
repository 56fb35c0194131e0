# Selection: tags (any of several, excluded), dates, limit, order and
# de-duplication, checked through `sheaf list` and a built book.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"
D="$FIX/duplicates.rss"

titles() { cut -f2 "$T/out" | tr '\n' '|'; }

expect_rc 0 "$SHEAF" list "$EX" --tag tools --tag formats
[ "$(titles)" = "Formats that last|Sharpening a plane iron|" ] || fail "two tags: $(titles)"

expect_rc 0 "$SHEAF" list "$EX" --tag "workshop life" --exclude-tag Tools
[ "$(titles)" = "Why we keep paper notebooks|" ] || fail "exclude-tag: $(titles)"

expect_rc 0 "$SHEAF" list "$EX" --since 2024-04-16 --until 2024-05-03
[ "$(titles)" = "Formats that last|Sharpening a plane iron|" ] || fail "since/until: $(titles)"

expect_rc 0 "$SHEAF" list "$EX" --limit 2
[ "$(titles)" = "Sharpening a plane iron|Labelling boxes for the next person|" ] || fail "limit keeps the newest: $(titles)"

expect_rc 0 "$SHEAF" list "$EX" --newest-first --limit 3
[ "$(titles)" = "Labelling boxes for the next person|Sharpening a plane iron|Formats that last|" ] || fail "newest-first: $(titles)"

expect_rc 0 "$SHEAF" list "$EX"
[ "$(cut -f1 "$T/out" | tr '\n' ' ')" = "2024-03-09 2024-04-16 2024-05-03 2024-06-10 " ] || fail "dates: $(cut -f1 "$T/out")"
[ "$(sed -n 1p "$T/out" | cut -f3)" = "archiving,workshop-life" ] || fail "tags column"

# Duplicates: the guid pair keeps its newest update; undated goes last.
expect_rc 0 "$SHEAF" list "$D"
[ "$(titles)" = "No weekday|Two-digit year and zone name|Second version|Undated|" ] || fail "dedupe/order: $(titles)"
[ "$(sed -n 2p "$T/out" | cut -f1)" = "2024-01-04" ] || fail "two-digit year: $(sed -n 2p "$T/out")"
expect_rc 0 "$SHEAF" build "$D" -o "$T/dups.epub"
epubcheck "$T/dups.epub"
$CHECK contains "$T/dups.epub" "New text of A." || fail "newest copy kept"
$CHECK lacks "$T/dups.epub" "Old text of A." || fail "old copy dropped"

expect_rc 0 "$SHEAF" list "$D" --tags
[ "$(tr '\n' '|' <"$T/out")" = "alpha 2|beta 2|gamma 1|" ] || fail "tag counts: $(cat "$T/out")"
finish
