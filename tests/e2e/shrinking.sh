# An input that another program truncates while sheaf reads it (a feed
# still being downloaded or rewritten). Large inputs are mapped into
# memory, where the vanished pages raise SIGBUS: sheaf must say which input
# and exit 2, never die of the signal, and write no book.
. "$SRCDIR/tests/e2e/lib/common.sh"

# About 60 MB, so the import takes long enough to be caught in the middle.
gen() {
  python3 - "$1" <<'PY'
import sys
para = "<p>" + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit; " * 40) + "</p>"
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
            '<link>https://big.example.org/</link><description>x</description>\n')
    for i in range(4000):
        f.write(f"<item><title>Article {i}</title><link>https://big.example.org/{i}/</link>"
                f"<description><![CDATA[{para * 6}]]></description></item>\n")
    f.write("</channel></rss>\n")
PY
}

caught=0
for delay in 0.05 0.15 0.3; do
  gen "$T/big.rss"
  rm -f "$T/book.epub"
  "$SHEAF" build -q "$T/big.rss" -o "$T/book.epub" >"$T/out" 2>"$T/err" &
  pid=$!
  sleep $delay
  # Cut the file to its first page, as a rewriting program would.
  truncate -s 4096 "$T/big.rss"
  wait $pid
  rc=$?
  case $rc in
  2)
    if grep -q "shrank while sheaf was reading it" "$T/err"; then
      grep -q "big.rss" "$T/err" || fail "the message does not name the input: $(cat "$T/err")"
      caught=$((caught + 1))
    fi
    # Otherwise the cut came before the read: an ordinary parse error.
    [ ! -e "$T/book.epub" ] || fail "a book was written after exit 2" ;;
  0) $CHECK structure "$T/book.epub" >/dev/null || fail "book finished before the cut is broken" ;;
  *) fail "truncated after ${delay}s: exit $rc (a signal?): $(cat "$T/err")" ;;
  esac
  [ "$(ls -A "$T" | grep -v -E '^(big\.rss|book\.epub|out|err)$')" = "" ] ||
    fail "left behind: $(ls -A "$T")"
done
[ $caught -gt 0 ] || echo "note: no cut landed while the file was being read"

finish
