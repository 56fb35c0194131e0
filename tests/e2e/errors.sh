# Failures: each gives its documented exit code and a message that names
# the file (and line, for malformed XML) and says what to do; no partial
# book is ever left behind, and an existing book survives a failed build.
. "$SRCDIR/tests/e2e/lib/common.sh"
EX="$SRCDIR/examples/field-notes.rss"

expect_rc 2 "$SHEAF" build "$T/missing.rss" -o "$T/x.epub" && expect_err "missing.rss.*error: .*(No such file|cannot)"
# An HTML page saved under a feed's name (a login or error page served in
# place of the feed) is refused; an HTML page under its own name is read.
expect_rc 2 "$SHEAF" build "$FIX/not-a-feed.rss" -o "$T/x.epub" && expect_err "not-a-feed.rss.*HTML"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR garbage' >"$T/garbage.xml"
expect_rc 2 "$SHEAF" build "$T/garbage.xml" -o "$T/x.epub" && expect_err "garbage.xml.*binary"
rm -f "$T/garbage.xml"
expect_rc 2 "$SHEAF" build "$FIX/feed.json" -o "$T/x.epub" && expect_err "feed.json.*JSON"
expect_rc 2 "$SHEAF" build "$FIX/empty.xml" -o "$T/x.epub" && expect_err "empty.xml.*empty"
expect_rc 2 "$SHEAF" build "$FIX/malformed.rss" -o "$T/x.epub" && expect_err "malformed.rss:[0-9]+(:[0-9]+)?: error:"
mkdir "$T/emptydir"
expect_rc 3 "$SHEAF" build "$T/emptydir" -o "$T/x.epub" && expect_err "no articles"
rmdir "$T/emptydir"
[ -e "$T/x.epub" ] && fail "a book was written despite errors"

expect_rc 3 "$SHEAF" build "$EX" --tag no-such-tag -o "$T/x.epub" && expect_err "no-such-tag.*sheaf list --tags"
expect_rc 1 "$SHEAF" build "$EX" --since yesterday -o "$T/x.epub" && expect_err "since"
expect_rc 1 "$SHEAF" build && expect_err "no input"
expect_rc 1 "$SHEAF" frobnicate && expect_err "unknown command"
expect_rc 1 "$SHEAF" build "$EX" --bogus && expect_err "unknown option"
expect_rc 1 "$SHEAF" build "$EX" --limit -3 && expect_err "limit"
[ -e "$T/x.epub" ] && fail "a book was written despite errors"

expect_rc 4 "$SHEAF" build "$EX" -o "$T/no/such/dir/x.epub" && expect_err "no/such/dir"
mkdir "$T/adir"
expect_rc 4 "$SHEAF" build "$EX" -o "$T/adir" && expect_err "adir"
if [ -d /proc/self ]; then
  expect_rc 4 "$SHEAF" build "$EX" -o /proc/sheaf-test.epub && expect_err "/proc"
fi
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$T/ro" && chmod 555 "$T/ro"
  expect_rc 4 "$SHEAF" build "$EX" -o "$T/ro/x.epub" && expect_err "ro/x.epub"
  chmod 755 "$T/ro"
fi

# The output must not be an input.
cp "$EX" "$T/copy.rss"
expect_rc 4 "$SHEAF" build "$T/copy.rss" -o "$T/copy.rss" && expect_err "also an input"
cmp -s "$EX" "$T/copy.rss" || fail "the input was changed"

# A failed build leaves an existing book as it was, and no temporary files.
expect_rc 0 "$SHEAF" build "$EX" -o "$T/keep.epub"
cp "$T/keep.epub" "$T/keep.orig"
expect_rc 3 "$SHEAF" build "$EX" --tag no-such-tag -o "$T/keep.epub"
cmp -s "$T/keep.epub" "$T/keep.orig" || fail "existing book changed by a failed build"
left=$(ls "$T" | grep -v -E '^(keep\.epub|keep\.orig|copy\.rss|adir|ro|out|err|sheaf-wrapped)$' || true)
[ -z "$left" ] || fail "files left behind: $left"
finish
