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

# Default output name comes from the title.
(cd "$T" && "$SHEAF" build -q "$EX" --tag tools) || fail "build without -o"
[ -f "$T/tools.epub" ] || fail "default output name (want tools.epub): $(ls "$T")"
finish
