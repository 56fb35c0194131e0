# sheaf fetch against a real server: tests/fetch/wpserver.py serves a
# simulated WordPress site on 127.0.0.1 (and logs on 127.0.0.2) at a port it
# picks; the real CLI captures it twice. Checked: the archive (an
# independent reader verifies every record and digest), the server's log
# (robots.txt obeyed, never more than 2 connections at once, the refused
# address never called, the srcset and lazy-loading choices, 429 retried,
# 301 followed), and that the second run downloads only what changed.
# Only 127.0.0.x is ever a target; the server lives at most 90 seconds and
# answers at most 600 requests.
. "$SRCDIR/tests/e2e/lib/common.sh"

command -v python3 >/dev/null 2>&1 || {
  echo "skip: python3 is absent"
  exit 77
}
SERVER="$SRCDIR/tests/fetch/wpserver.py"
WCHECK="python3 $SRCDIR/tests/fetch/warccheck.py"
SPID=
trap 'if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; fi; rm -rf "$T"' EXIT

start_server() { # ROUND PORT LOG
  rm -f "$T/port"
  python3 "$SERVER" --port-file "$T/port" --log "$T/$3" --round "$1" --port "$2" \
    --lifetime 90 --max-requests 600 --srcdir "$SRCDIR" 2>"$T/server.err" &
  SPID=$!
  i=0
  while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  if [ ! -s "$T/port" ]; then
    cat "$T/server.err" >&2
    fail "the test server did not start"
    finish
  fi
  PORT=$(cat "$T/port")
}

stop_server() {
  kill "$SPID" 2>/dev/null
  wait "$SPID" 2>/dev/null
  SPID=
}

# Requests in a log: "PATH STATUS" lines of host 127.0.0.1.
requests() { awk '$1 ~ /^conn=/ && $2 == "host=127.0.0.1" { print $4, $5 }' "$1"; }

FAST="--connect-timeout 2 --stall-timeout 1 --max-retry-wait 5"

# ---- first run ------------------------------------------------------------------
start_server 1 0 log1
BASE="http://127.0.0.1:$PORT"
A="$T/site"
# shellcheck disable=SC2086
if expect_rc 0 "$SHEAF" fetch "$BASE/tag/archiving/" "$BASE/tag/notes/" -o "$A" $FAST; then
  pass "first capture"
fi
expect_err "fetch: 41 articles" && pass "41 articles found (35 over 4 feed pages, 6 excerpts)"
expect_err "secret.png: warning: not fetched: the site's robots.txt disallows it" &&
  pass "robots.txt disallow reported"
expect_err "127.0.0.2:$PORT/.*: warning: not fetched: the host's address is loopback" &&
  pass "address guard reported"
expect_err "gone.png: warning: not fetched: HTTP 404" && pass "404 reported"
expect_err "stall.jpg: warning: not fetched: .*(slow|timed out)" && pass "stall timed out"
cp "$T/err" "$T/err1"
stop_server

set -- "$A"/*.warc.gz
[ $# -eq 1 ] && [ -f "$1" ] || fail "want one .warc.gz in the archive folder, got: $*"
W1=$1
ls -A "$A" | grep -v '\.warc\.gz$' && fail "something besides the WARC file was left"
$WCHECK "$W1" >"$T/recs1" || fail "the first WARC does not verify"
requests "$T/log1" >"$T/req1"

grep -q "private" "$T/req1" && fail "a path robots.txt disallows was requested"
grep -q "host=127.0.0.2 GET" "$T/log1" && fail "the refused address was called"
max=$(sed -n 's/.* open=\([0-9]*\)$/\1/p' "$T/log1" | sort -n | tail -1)
[ "${max:-9}" -le 2 ] && pass "at most 2 connections at once ($max)" ||
  fail "$max connections were open at once"
n=$(grep -c '^/robots.txt 200' "$T/req1")
[ "$n" -eq 1 ] && pass "robots.txt read once" || fail "robots.txt read $n times"
n=$(grep -Ec '^/wp-content/uploads/2024/0[12]/photo-[0-9]+-1024\.jpg 200$' "$T/req1")
[ "$n" -eq 41 ] && pass "srcset: the 1024w variant of all 41 photos" || fail "$n 1024w photos"
grep -Eq 'photo-[0-9]+-(300|768|2048)\.jpg' "$T/req1" && fail "a srcset variant not chosen was fetched"
n=$(grep -Ec '^/wp-content/uploads/2024/0[12]/chart-[0-9]+\.png 200$' "$T/req1")
[ "$n" -eq 41 ] && pass "lazy data-src images (41)" || fail "$n lazy images"
dups=$(awk '$2 == 200 { print $1 }' "$T/req1" | sort | uniq -d)
[ -z "$dups" ] && pass "nothing downloaded twice" || fail "downloaded twice: $dups"
grep -q '^/wp-content/uploads/2024/01/busy.png 429' "$T/req1" &&
  grep -q '^/wp-content/uploads/2024/01/busy.png 200' "$T/req1" &&
  pass "429 retried after Retry-After" || fail "429 not retried"
grep -q '^/old/moved.png 301' "$T/req1" &&
  grep -q '^/wp-content/uploads/2024/01/moved.png 200' "$T/req1" &&
  pass "301 followed" || fail "301 not followed"
grep -q '^/wp-content/uploads/2024/01/pic.webp 200' "$T/req1" || fail "WebP image not fetched"
n=$(grep -Ec '^/2024/0[12]/[0-9]+/post-(3[6-9]|4[01])/ 200$' "$T/req1")
[ "$n" -eq 6 ] && pass "the excerpt-only tag's 6 article pages" || fail "$n excerpt pages"
grep -Eq '^/2024/0[12]/[0-9]+/post-(0[1-9]|[12][0-9]|3[0-5])/ ' "$T/req1" &&
  fail "an article page was fetched although its feed has the full text"
for p in '/tag/archiving/feed/ 200' '/tag/archiving/feed/?paged=4 200' \
  '/tag/archiving/feed/?paged=5 404' '/tag/notes/feed/?paged=2 404'; do
  grep -qxF "$p" "$T/req1" || fail "feed paging: no '$p'"
done
n=$(grep -c '^response	' "$T/recs1")
m=$(grep -c '^request	' "$T/recs1")
# Every answer the server gave (the stalled one never ended) is in the WARC.
e=$(grep -Ec '^conn=.* GET .* [0-9]+ [0-9]+$' "$T/log1")
[ "$n" -eq "$m" ] && [ "$n" -eq "$e" ] &&
  pass "one request and one response record per exchange ($n)" ||
  fail "$m requests, $n responses, $e exchanges"
grep -q '^warcinfo' "$T/recs1" || fail "no warcinfo record"
# The bytes as received: chunked pages and gzip feeds stay so in the archive.
python3 - "$W1" <<'EOF' || fail "transfer and content codings not kept as received"
import gzip, sys
d = gzip.open(sys.argv[1]).read()
assert b"Transfer-Encoding: chunked" in d and b"Content-Encoding: gzip" in d
EOF

# ---- dry run ---------------------------------------------------------------------
start_server 1 "$PORT" logd
# shellcheck disable=SC2086
if expect_rc 0 "$SHEAF" fetch --dry-run "$BASE/tag/notes/" $FAST; then
  n=$(grep -c '^page	' "$T/out")
  [ "$n" -eq 6 ] && pass "dry run lists the 6 pages" || fail "dry run listed $n pages"
fi
requests "$T/logd" >"$T/reqd"
grep -q '^/2024/' "$T/reqd" && fail "the dry run fetched an article page"
stop_server

# ---- books from the capture, and from wget's capture of the same URLs -------------
# WARC inputs to sheaf build are src/import/warc.c's; until it is in the
# tree this part cannot run.
if [ -f "$SRCDIR/src/import/warc.c" ]; then
  if expect_rc 0 "$SHEAF" build "$A" --tag archiving -o "$T/a.epub" &&
    expect_rc 0 "$SHEAF" build "$A" --tag notes -o "$T/n.epub"; then
    pass "books built from the archive folder"
    epubcheck "$T/a.epub"
    epubcheck "$T/n.epub"
    python3 "$SRCDIR/tests/fetch/bookcheck.py" "$T/a.epub" 1 35 &&
      python3 "$SRCDIR/tests/fetch/bookcheck.py" "$T/n.epub" 36 41 &&
      pass "every post of each tag, full text, each image embedded once" ||
      fail "the books lack posts or images"
  fi
  # wget --warc-file over the URLs sheaf fetched (so robots.txt is obeyed
  # the same way); its WARC must give the same chapters and images.
  if command -v wget >/dev/null 2>&1; then
    # The stalling image is left out: sheaf gave up on it too, and wget would
    # wait out its read timeout on every try. That timeout is generous
    # because a loaded machine answers slowly, not because any URL stalls.
    awk -F'\t' '$1 == "request" { print $3 }' "$T/recs1" |
      grep -v -e '/robots.txt$' -e '/slow/' >"$T/urls"
    # A server of its own: the builds and EPUBCheck runs above can outlast
    # a server's bounded lifetime on a busy machine.
    start_server 1 "$PORT" logw
    (cd "$T" && wget -q -i "$T/urls" --warc-file="$T/wget" --no-warc-keep-log -O /dev/null \
      --tries=3 --read-timeout=10 --retry-on-http-error=429 --waitretry=1 -e robots=off)
    stop_server
    if expect_rc 0 "$SHEAF" build "$T/wget.warc.gz" --tag archiving -o "$T/w.epub"; then
      python3 "$SRCDIR/tests/fetch/bookcheck.py" --same "$T/a.epub" "$T/w.epub" &&
        pass "wget's WARC builds the same book" || fail "wget's WARC gives another book"
    fi
  fi
fi

# ---- second run: the site a day later (one new post) ------------------------------
sum1=$(sha1sum "$W1")
start_server 2 "$PORT" log2
# shellcheck disable=SC2086
if expect_rc 0 "$SHEAF" fetch "$BASE/tag/archiving/" "$BASE/tag/notes/" -o "$A" $FAST; then
  pass "second capture"
fi
expect_err "fetch: 42 articles" || true
stop_server
[ "$(sha1sum "$W1")" = "$sum1" ] && pass "the first file is untouched" || fail "the first file changed"
set -- "$A"/*.warc.gz
[ $# -eq 2 ] || fail "want two .warc.gz after the second run, got $#"
for w in "$@"; do [ "$w" != "$W1" ] && W2=$w; done
$WCHECK "$W2" >"$T/recs2" || fail "the second WARC does not verify"
requests "$T/log2" >"$T/req2"
got=$(awk '$2 == 200 && $1 ~ /^\/(wp-content|20[0-9][0-9]\/)/ { print $1 }' "$T/req2" | sort | tr '\n' ' ')
want="/wp-content/uploads/2024/02/chart-42.png /wp-content/uploads/2024/02/photo-42-1024.jpg "
[ "$got" = "$want" ] && pass "second run downloads only the new post's images" ||
  fail "second run downloaded: $got"
n=$(grep -c ' 304$' "$T/req2")
r=$(grep -c '^revisit	304	' "$T/recs2")
[ "$n" -ge 80 ] && [ "$n" -eq "$r" ] && pass "$n unchanged resources stored as revisits" ||
  fail "$n 304 answers, $r revisit records"

finish
