#!/bin/sh
# Hostile input: XXE and entity bombs, script vectors, absurd nesting and
# sizes, device files, FIFOs and symbolic links, and an output that is an
# input in disguise. Each case checks its exit code and message; the big
# inputs are generated here, in $T, and their times printed.
. "$(dirname "$0")/lib/common.sh"

H="$FIX/hostile"
SCRIPT_CHECK="python3 $SRCDIR/tests/e2e/lib/script_check.py"
# Under valgrind (SHEAF_WRAP) or in a sanitizer build the huge cases shrink
# and the hang bound is off; the code paths are the same.
WRAPPED=${SHEAF_WRAP:+1}
if ldd "$SHEAF" 2>/dev/null | grep -q -e libasan -e libubsan; then
  WRAPPED=1
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# no_hang SECONDS WHAT: a hang guard, not a speed test (speed is measured in
# bench/). Each case takes a few seconds at most on an idle
# machine; HANG_BOUND is far above what load or a slow CI machine can add,
# so only a run that never ends (an expansion or a loop that does not stop)
# trips it. Off under valgrind and sanitizers, which are slower by design.
HANG_BOUND=${SHEAF_HANG_BOUND:-120}
no_hang() {
  if [ -z "$WRAPPED" ] && awk -v t="$1" -v m="$HANG_BOUND" 'BEGIN { exit !(t >= m) }'; then
    fail "$2 took $1 s: a hang (bound: $HANG_BOUND s)"
  fi
}
# no_leak BOOK: neither secret is in the book nor in the messages
no_leak() {
  if unzip -p "$1" 2>/dev/null | grep -q -e 'SHEAF-SECRET' -e 'root:x:0:0' ||
     grep -q -e 'SHEAF-SECRET' -e 'root:x:0:0' "$T/err"; then
    fail "$2: file content reached the book or the messages"
  else
    pass "$2: no file content in the book or the messages"
  fi
}

# ---- XXE ------------------------------------------------------------------------
cp "$H/xxe-atom10.xml" "$H/xxe-url.rss" "$H/parameter-entities.rss" "$H/secret.txt" "$T/"
for f in xxe-atom10.xml xxe-url.rss parameter-entities.rss; do
  if expect_rc 0 "$SHEAF" build "$T/$f" -o "$T/$f.epub"; then
    no_leak "$T/$f.epub" "$f"
  fi
done
expect_rc 0 "$SHEAF" build "$T/xxe-atom10.xml" -o "$T/x.epub" &&
  expect_err "xxe-atom10.xml:9: warning: entity &passwd; is not expanded" &&
  pass "XXE: unexpanded entity named, with file and line"

# No connection, no socket: strace sees every network call.
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
  for f in xxe-url.rss parameter-entities.rss xxe-atom10.xml; do
    env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
      strace -f -qq -e trace=network,connect -o "$T/net.trace" \
      "$SHEAF" build "$T/$f" -o "$T/net.epub" >/dev/null 2>&1
    if grep -E 'socket\(|connect\(' "$T/net.trace" | grep -v 'AF_UNIX\|AF_LOCAL' >/dev/null; then
      fail "$f: network calls: $(grep -E 'socket|connect' "$T/net.trace" | head -3)"
    else
      pass "$f: no network access (strace)"
    fi
  done
else
  echo "skip: strace cannot run here; the no-network check is skipped"
fi

# Billion laughs: refused at once, nothing expanded.
t0=$(now)
expect_rc 2 "$SHEAF" build "$H/billion-laughs.rss" -o "$T/laughs.epub" &&
  expect_err 'billion-laughs.rss:[0-9]+: error: the DOCTYPE declares entities that would expand enormously.*\[entity\]' &&
  pass "billion laughs refused in $(elapsed "$t0") s"
no_hang "$(elapsed "$t0")" "billion laughs"
[ -e "$T/laughs.epub" ] && fail "billion laughs left a book"

# Quadratic blow-up: a 100 KB entity referenced 50,000 times (5 GB if
# expanded) is never expanded; the build ends fast with a warning.
python3 - "$T/quadratic.rss" <<'PY'
import sys
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "%s">]>\n'
    '<rss version="2.0"><channel><title>Q</title><item><title>q</title>'
    '<description>%s</description></item></channel></rss>\n' % ("A" * 100000, "&a;" * 50000))
PY
t0=$(now)
expect_rc 0 "$SHEAF" build "$T/quadratic.rss" -o "$T/quad.epub" &&
  expect_err 'quadratic.rss:3: warning: entity &a; is not expanded' &&
  pass "quadratic blow-up not expanded, $(elapsed "$t0") s"
no_hang "$(elapsed "$t0")" "quadratic blow-up"
if [ -f "$T/quad.epub" ] && [ "$(wc -c <"$T/quad.epub")" -gt 100000 ]; then
  fail "quadratic blow-up: the book is $(wc -c <"$T/quad.epub") bytes"
fi

# ---- script vectors ---------------------------------------------------------------
# The checker must itself catch offenders.
python3 - "$T/bad.epub" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("EPUB/text/ch.xhtml", '<p><a href="javascript:x()" onclick="y()">a</a>'
               '<script>1</script><meta http-equiv="refresh" content="0"/></p>')
PY
if $SCRIPT_CHECK "$T/bad.epub" >"$T/check.out"; then
  fail "script_check.py missed planted offenders"
else
  pass "script_check.py finds planted offenders ($(tail -1 "$T/check.out"))"
fi

SAN="$CORPUS/feedparser/tests/wellformed/sanitize"
if [ -d "$SAN" ]; then
  mkdir -p "$T/san"
  t0=$(now)
  # The whole folder in one build...
  expect_rc 0 "$SHEAF" build "$SAN" -q -o "$T/san/all.epub"
  # ...and each file on its own, since the folder's duplicates merge (not
  # under valgrind: 745 runs). Files with no items make no book (exit 3).
  # A given cover spares drawing 745 generated ones (book.sh tests those).
  if [ -z "$WRAPPED" ]; then
    for f in "$SAN"/*.xml; do
      "$SHEAF" build "$f" -q --cover "$FIX/images/pics/pic.jpg" \
        -o "$T/san/$(basename "$f" .xml).epub" 2>/dev/null
      rc=$?
      [ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$(basename "$f"): exit $rc"
    done
  fi
  if $SCRIPT_CHECK "$T"/san/*.epub >"$T/check.out"; then
    pass "script vectors: $(tail -1 "$T/check.out") in $(elapsed "$t0") s"
  else
    fail "script vectors left in books:"
    head -40 "$T/check.out" >&2
  fi
else
  echo "skip: $SAN is absent; the script-vector check is skipped"
fi

# ---- nesting ------------------------------------------------------------------------
gen_deep() { # FILE LEVELS
  python3 - "$1" "$2" <<'PY'
import sys, html
n = int(sys.argv[2])
body = "<div>" * n + "DEEPTEXT" + "</div>" * n + "<p>AFTER</p>"
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Deep</title>'
    '<item><title>deep</title><description>%s</description></item></channel></rss>\n'
    % html.escape(body))
PY
}
gen_deep "$T/deep.rss" 100000
t0=$(now)
if expect_rc 0 "$SHEAF" build "$T/deep.rss" -o "$T/deep.epub"; then
  no_hang "$(elapsed "$t0")" "100,000 levels"
  expect_err 'deep.rss:2: warning: HTML nested more than 256 deep: 99744 deeper elements were flattened .*--max-depth' &&
    pass "100,000 levels: flattened with a warning, $(elapsed "$t0") s"
  n=$(unzip -p "$T/deep.epub" EPUB/text/ch0001.xhtml | grep -c -e DEEPTEXT -e AFTER)
  [ "$n" -ge 1 ] && unzip -p "$T/deep.epub" EPUB/text/ch0001.xhtml | grep -q AFTER &&
    unzip -p "$T/deep.epub" EPUB/text/ch0001.xhtml | grep -q DEEPTEXT &&
    pass "100,000 levels: no text lost" || fail "100,000 levels: text lost"
  epubcheck "$T/deep.epub"
fi
gen_deep "$T/deep300.rss" 300
expect_rc 0 "$SHEAF" build "$T/deep300.rss" --max-depth 1000 -o "$T/deep300.epub" &&
  if grep -q 'nested' "$T/err"; then fail "--max-depth 1000 still flattens"; else
    pass "--max-depth 1000 keeps 300 levels"; fi

# Deep XML (an Atom xhtml content): libxml2's limit, reported as sheaf's.
python3 - "$T/deep.atom" <<'PY'
import sys
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>D</title>'
    '<id>urn:d</id><entry><title>d</title><id>urn:d:1</id><content type="xhtml">'
    '<div xmlns="http://www.w3.org/1999/xhtml">' + "<span>" * 400 + "x" + "</span>" * 400 +
    '</div></content></entry></feed>\n')
PY
expect_rc 2 "$SHEAF" build "$T/deep.atom" -o "$T/deepx.epub" &&
  expect_err 'deep.atom:2: error: elements nested more than 256 deep \(--max-depth\); raise the limit' &&
  pass "deep XML: limit error naming --max-depth"
expect_rc 0 "$SHEAF" build "$T/deep.atom" --max-depth 1000 -o "$T/deepx.epub" &&
  pass "deep XML builds with --max-depth 1000"

# ---- sizes ----------------------------------------------------------------------------
MB=50
[ -n "$WRAPPED" ] && MB=11
python3 - "$T/para.rss" "$MB" <<'PY'
import sys
n = int(sys.argv[2]) * 1000 * 1000 // 5
open(sys.argv[1], "w").write(
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>P</title><item><title>big</title>'
    '<description>&lt;p&gt;' + "word " * n + '&lt;/p&gt;</description></item></channel></rss>\n')
PY
t0=$(now)
expect_rc 2 "$SHEAF" build "$T/para.rss" -o "$T/para.epub" &&
  expect_err 'para.rss:2: error: .*more than 10M \(--max-article-size\); raise the limit, e.g. --max-article-size 64M' &&
  pass "$MB MB paragraph: limit error in $(elapsed "$t0") s"
t0=$(now)
expect_rc 0 "$SHEAF" build "$T/para.rss" --max-article-size 64M -o "$T/para.epub" &&
  pass "$MB MB paragraph with --max-article-size 64M: built in $(elapsed "$t0") s"
no_hang "$(elapsed "$t0")" "$MB MB paragraph"

ITEMS=1000000
[ -n "$WRAPPED" ] && ITEMS=3000
python3 - "$T/million.rss" "$ITEMS" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>M</title>\n')
    for i in range(int(sys.argv[2])):
        f.write('<item><title>t%d</title><guid>g%d</guid><description>d</description></item>\n' % (i, i))
    f.write('</channel></rss>\n')
PY
LIMIT_ARGS=
[ -n "$WRAPPED" ] && LIMIT_ARGS="--max-articles 1000"
t0=$(now)
# shellcheck disable=SC2086
expect_rc 2 "$SHEAF" build "$T/million.rss" $LIMIT_ARGS -o "$T/million.epub" &&
  expect_err 'million.rss:[0-9]+: error: more than [0-9]+ articles \(--max-articles\); raise the limit' &&
  pass "$ITEMS items: limit error in $(elapsed "$t0") s"
[ -e "$T/million.epub" ] && fail "the article limit left a book"
if [ -z "$WRAPPED" ]; then
  TIMEV=
  [ -x /usr/bin/time ] && TIMEV="/usr/bin/time -v -o $T/timev"
  t0=$(now)
  # shellcheck disable=SC2086
  expect_rc 0 $TIMEV "$SHEAF" build "$T/million.rss" --max-articles 2000000 -q -o "$T/million.epub" &&
    pass "1,000,000 items with --max-articles 2000000: built in $(elapsed "$t0") s$(
      [ -n "$TIMEV" ] && awk -F': ' '/Maximum resident/ { printf ", peak RSS %d MB", $2 / 1024 }' "$T/timev")"
  rm -f "$T/million.epub" "$T/million.rss"
fi

expect_rc 2 "$SHEAF" build "$FIX/duplicates.rss" --max-input-size 1K -o "$T/small.epub" &&
  expect_err 'duplicates.rss: error: the file is larger than 1K \(--max-input-size\); .*--max-input-size 2G' &&
  pass "--max-input-size: limit error"
gzip -c "$FIX/duplicates.rss" >"$T/dup.rss.gz"
if [ "$(wc -c <"$T/dup.rss.gz")" -lt 1024 ]; then
  expect_rc 2 "$SHEAF" build "$T/dup.rss.gz" --max-input-size 1K -o "$T/small.epub" &&
    expect_err 'inflates to more than 1K \(--max-input-size\)' &&
    pass "--max-input-size: applies after gzip inflation"
fi
expect_rc 1 "$SHEAF" build "$FIX/duplicates.rss" --max-input-size lots &&
  expect_err "--max-input-size wants a size such as 2G" && pass "--max-input-size lots: usage error"
expect_rc 1 "$SHEAF" build "$FIX/duplicates.rss" --max-articles 0 &&
  expect_err "--max-articles wants a positive number" && pass "--max-articles 0: usage error"

# ---- paths ----------------------------------------------------------------------------
expect_rc 2 timeout 10 "$SHEAF" build /dev/zero -o "$T/zero.epub" &&
  expect_err '/dev/zero: error: cannot read: this is a character device' &&
  pass "/dev/zero refused at once"
mkfifo "$T/fifo.rss"
expect_rc 2 timeout 10 "$SHEAF" build "$T/fifo.rss" -o "$T/fifo.epub" &&
  expect_err 'fifo.rss: error: cannot read: this is a FIFO' && pass "FIFO refused, no hang"

mkdir -p "$T/dir/sub"
cp "$FIX/duplicates.rss" "$T/dir/feed.rss"
ln -s /etc "$T/dir/etc"
ln -s /etc/passwd "$T/dir/passwd.xml"
ln -s .. "$T/dir/sub/loop"
mkfifo "$T/dir/pipe.xml"
if expect_rc 0 timeout 20 "$SHEAF" build "$T/dir" -v -o "$T/dir.epub"; then
  expect_err 'passwd.xml: note: skipped: symbolic links are not followed' &&
    expect_err 'loop: note: skipped: symbolic links are not followed' &&
    pass "folder: symbolic links out and loops are not followed"
  no_leak "$T/dir.epub" "folder with a link to /etc"
fi

# ---- output is an input in another spelling ------------------------------------------------
cp "$FIX/duplicates.rss" "$T/feed.rss"
cp "$T/feed.rss" "$T/feed.orig"
ln -s feed.rss "$T/link.epub"
for spec in "feed.rss ./feed.rss" "./feed.rss feed.rss" "feed.rss link.epub" "feed.rss sub/../feed.rss"; do
  set -- $spec
  mkdir -p "$T/sub"
  (cd "$T" && expect_rc 4 "$SHEAF" build "$1" -o "$2") &&
    if grep -q "is also an input" "$T/err"; then pass "output $2 = input $1: refused"; else
      fail "output $2 = input $1: no clear message"; fi
  cmp -s "$T/feed.rss" "$T/feed.orig" || fail "input changed by -o $2"
done

finish
