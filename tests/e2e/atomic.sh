# Output is atomic: whatever stops a build (a signal mid-write, a full disk
# or file-size limit, a bad target), the target holds either its old book or
# the whole new one, and no temporary file is left beside it.
. "$SRCDIR/tests/e2e/lib/common.sh"

# A feed big enough that writing its book takes a while.
python3 - "$T/big.rss" <<'PY'
import sys
para = "<p>" + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit; " * 40) + "</p>"
items = "".join(f"""<item><title>Article {i}</title><link>https://big.example.org/{i}/</link>
<pubDate>Mon, 01 Jan 2024 00:{i % 60:02d}:00 +0000</pubDate>
<description><![CDATA[{para * 6}<p>Unique marker {i}.</p>]]></description></item>""" for i in range(1500))
open(sys.argv[1], "w").write(f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Big</title><link>https://big.example.org/</link><description>x</description>
{items}</channel></rss>""")
PY

leftovers() { ls -A "$1" | grep -v -E '^(big\.rss|old\.epub|old\.orig|out|err|lim|sig)$' || true; }

# A file-size limit: the write fails (no SIGXFSZ death), exit 4, nothing left.
mkdir "$T/lim"
cp "$SRCDIR/examples/field-notes.rss" "$T/lim/feed.rss"
expect_rc 0 "$SHEAF" build "$T/lim/feed.rss" -o "$T/lim/book.epub"
cp "$T/lim/book.epub" "$T/old.orig"
(ulimit -f 64 && "$SHEAF" build "$T/big.rss" -o "$T/lim/book.epub") >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 4 ] || fail "file-size limit: exit $rc, want 4"
expect_err "cannot write book" || true
cmp -s "$T/lim/book.epub" "$T/old.orig" || fail "the old book changed after a failed write"
[ "$(ls -A "$T/lim" | tr '\n' ' ')" = "book.epub feed.rss " ] || fail "left in the folder: $(ls -A "$T/lim")"

# Signals: at any moment, the target is the old book or a complete new one.
mkdir "$T/sig"
cp "$T/old.orig" "$T/sig/book.epub"
interrupted=0
for delay in 0.05 0.2 0.5 1.0; do
  "$SHEAF" build -q "$T/big.rss" -o "$T/sig/book.epub" >"$T/out" 2>"$T/err" &
  pid=$!
  sleep $delay
  kill -INT $pid 2>/dev/null
  wait $pid
  rc=$?
  case $rc in
  130)
    interrupted=$((interrupted + 1))
    grep -q "interrupted" "$T/err" || fail "no message after SIGINT"
    cmp -s "$T/sig/book.epub" "$T/old.orig" || fail "SIGINT after ${delay}s changed the old book" ;;
  0)
    $CHECK structure "$T/sig/book.epub" >/dev/null || fail "book finished before SIGINT is broken"
    cp "$T/old.orig" "$T/sig/book.epub" ;;
  *) fail "SIGINT after ${delay}s: exit $rc" ;;
  esac
  [ "$(ls -A "$T/sig")" = "book.epub" ] || fail "SIGINT after ${delay}s left: $(ls -A "$T/sig")"
done
[ $interrupted -gt 0 ] || echo "note: every build finished before its signal; only the finished-book path was checked"

# SIGTERM as well, once sheaf catches it: on a loaded machine, loading its
# libraries may take longer than the sleep (SIGTERM's default ends it, 143).
catches_term() { # PID: 0 once its SigCgt mask has SIGTERM (bit 15), or it ended
  i=0
  while [ $i -lt 50 ]; do
    m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
    [ -z "$m" ] && return 0
    [ $((0x$m & 0x4000)) -ne 0 ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
}
"$SHEAF" build -q "$T/big.rss" -o "$T/sig/book.epub" >"$T/out" 2>"$T/err" &
pid=$!
sleep 0.1
catches_term $pid
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
[ $rc -eq 130 ] || [ $rc -eq 0 ] || fail "SIGTERM: exit $rc"
[ "$(ls -A "$T/sig")" = "book.epub" ] || fail "SIGTERM left: $(ls -A "$T/sig")"
finish
