# The issue's own example: the WordPress tag feed in ../shared/corpus/seed
# becomes a valid book of both articles, oldest first, with their full text
# and without WordPress's cruft; `list --tags` shows the inherited tag.
. "$SRCDIR/tests/e2e/lib/common.sh"
need_corpus
SEED="$CORPUS/seed/focus-digital-economy.rss"
[ -f "$SEED" ] || { echo "skip: no seed feed"; exit 77; }

if expect_rc 0 "$SHEAF" build "$SEED" --tag digital-economy -o "$T/seed.epub"; then
  pass "seed book built"
fi
$CHECK structure "$T/seed.epub" || fail "structure"
epubcheck "$T/seed.epub"
$CHECK text "$T/seed.epub" "$SEED" || fail "article text lost or cruft kept"

$CHECK chapters "$T/seed.epub" >"$T/chapters"
printf '%s\n' "How the UK can help China’s digital transformation" \
  "How the digital economy transformed entrepreneurship in China" >"$T/want"
cmp -s "$T/chapters" "$T/want" || { fail "chapters not both, oldest first"; cat "$T/chapters" >&2; }

$CHECK meta "$T/seed.epub" >"$T/meta"
grep -qx 'title=Digital Economy' "$T/meta" || fail "title is not 'Digital Economy'"
grep -qx 'publisher=Focus - China Britain Business Council' "$T/meta" || fail "publisher"
grep -qx 'language=en-GB' "$T/meta" || fail "language"
grep -qx 'subject=digital economy' "$T/meta" || fail "subject"
grep -qx 'source=https://focus.cbbc.org/tag/digital-economy/' "$T/meta" || fail "source"
grep -Eqx 'identifier=urn:uuid:[0-9a-f-]{36}' "$T/meta" || fail "identifier"
grep -qx 'dcterms:modified=2023-02-22T07:30:53Z' "$T/meta" || fail "modified is not the newest article"
$CHECK lacks "$T/seed.epub" "appeared first on" || fail "footer kept"
$CHECK lacks "$T/seed.epub" "Read Also" || fail "Read Also kept"

# The slug, the display name and any case select the same articles.
for tag in "digital economy" "Digital-Economy" "DIGITAL ECONOMY"; do
  expect_rc 0 "$SHEAF" list "$SEED" --tag "$tag" && [ "$(wc -l <"$T/out")" -eq 2 ] \
    || fail "--tag '$tag' does not select both articles"
done

expect_rc 0 "$SHEAF" list "$SEED" --tags
[ "$(cat "$T/out")" = "digital-economy 2" ] || { fail "list --tags"; cat "$T/out" >&2; }
finish
