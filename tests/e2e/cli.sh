# The command line teaches: help per command with examples, a version, a
# man page; quiet and verbose change what is printed, not what is built.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"

expect_rc 0 "$SHEAF" --help && grep -q "sheaf build" "$T/out" || fail "--help"
expect_rc 0 "$SHEAF" build --help && grep -q "Examples:" "$T/out" && grep -q -- "--tag" "$T/out" || fail "build --help"
expect_rc 0 "$SHEAF" list --help && grep -q -- "--tags" "$T/out" || fail "list --help"
expect_rc 0 "$SHEAF" help build && grep -q -- "--output" "$T/out" || fail "help build"
expect_rc 0 "$SHEAF" --version && grep -Eq '^sheaf [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" || fail "--version"
[ -f "$SRCDIR/doc/sheaf.1" ] || fail "man page missing"

expect_rc 0 "$SHEAF" build -q "$EX" -o "$T/q.epub"
[ -s "$T/err" ] && fail "-q printed: $(cat "$T/err")"
expect_rc 0 "$SHEAF" build -v "$EX" -o "$T/v.epub"
grep -q "note:" "$T/err" || fail "-v printed no notes"
grep -q "wrote" "$T/err" || fail "no summary line"
cmp -s "$T/q.epub" "$T/v.epub" || fail "verbosity changed the book"

# --remove: elements matching the user's selectors leave every article; a
# selector sheaf cannot read is a usage error before any input is read.
cat >"$T/chrome.rss" <<'RSS'
<?xml version="1.0"?><rss version="2.0"><channel><title>Chrome</title>
<link>https://c.example.org/</link><description>d</description>
<item><title>One</title><link>https://c.example.org/1</link><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Text one.</p><div class="theme-share"><a href="https://x.example/">Tweet this</a></div>
<aside><p class="promo">Subscribe now</p></aside>]]></description></item>
<item><title>Two</title><link>https://c.example.org/2</link><pubDate>Tue, 02 Jan 2024 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Text two.</p><div class="theme-share">Tweet this</div><p class="promo">Keep me</p>]]></description></item>
</channel></rss>
RSS
expect_rc 0 "$SHEAF" build "$T/chrome.rss" --remove '.theme-share' --remove 'aside > .promo' -o "$T/chrome.epub"
$CHECK lacks "$T/chrome.epub" "Tweet this" || fail "--remove: .theme-share kept"
$CHECK lacks "$T/chrome.epub" "Subscribe now" || fail "--remove: aside > .promo kept"
for keep in "Text one." "Text two." "Keep me"; do
  $CHECK contains "$T/chrome.epub" "$keep" || fail "--remove took more: $keep"
done
epubcheck "$T/chrome.epub"
expect_rc 1 "$SHEAF" build "$T/chrome.rss" --remove 'div:first-child' -o "$T/bad.epub" &&
  expect_err "--remove 'div:first-child': expected"
[ ! -e "$T/bad.epub" ] || fail "a book was written despite a bad selector"

# Default output name comes from the title.
(cd "$T" && "$SHEAF" build -q "$EX" --tag tools) || fail "build without -o"
[ -f "$T/tools.epub" ] || fail "default output name (want tools.epub): $(ls "$T")"
finish
