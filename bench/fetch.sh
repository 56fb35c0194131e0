#!/bin/sh
# Capture benchmark (issue 12): sheaf fetch against wget --warc-file over the
# same URLs, on a loopback site of N posts and 2N images served by
# tests/fetch/wpserver.py, at the same concurrency (one connection; sheaf
# also at its default of two per host). Prints wall time and peak memory of
# each, and the same for a run with one large image (BIG bytes), which
# shows that responses stream to disk. Not part of ctest.
#
#   bench/fetch.sh [N] [BIG]        defaults: 1000 posts, 200000000 bytes
#   SHEAF=build/src/sheaf bench/fetch.sh 100    (a quick smoke run)
set -eu
N=${1:-1000}
BIG=${2:-200000000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHEAF=${SHEAF:-$SRC/build/src/sheaf}
W=$(mktemp -d "${TMPDIR:-/tmp}/sheaf-fetch-bench.XXXXXX")
SPID=
trap 'if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null; fi; rm -rf "$W"' EXIT
PAGES=$((N / 10 + 10))

serve() { # extra args
  rm -f "$W/port"
  python3 "$SRC/tests/fetch/wpserver.py" --port-file "$W/port" --log /dev/null \
    --posts "$N" --plain --lifetime 1800 --max-requests 1000000 --srcdir "$SRC" "$@" &
  SPID=$!
  while [ ! -s "$W/port" ]; do sleep 0.1; done
  URL="http://127.0.0.1:$(cat "$W/port")/tag/archiving/"
}
stop() {
  kill "$SPID"
  wait "$SPID" 2>/dev/null || true
  SPID=
}
measure() { # LABEL CMD...: wall seconds and peak RSS
  label=$1
  shift
  # wget exits 8 for the 404 that ends the feed's paging, as sheaf reads it.
  /usr/bin/time -f "%e %M" -o "$W/time" "$@" >/dev/null 2>"$W/stderr" || {
    rc=$?
    [ "$1" = wget ] && [ $rc -eq 8 ] || {
      echo "$label failed ($rc):" >&2
      tail -5 "$W/stderr" >&2
    }
  }
  sed -i '/^Command exited/d' "$W/time"
  read -r wall rss <"$W/time"
  printf '%-34s %8s s %8d KB\n' "$label" "$wall" "$rss"
}

serve
# The URL list for wget: every URL a real capture fetches, from a dry run
# (feeds, pages and images), plus robots.txt, which sheaf reads too.
"$SHEAF" fetch --dry-run --max-pages "$PAGES" "$URL" 2>/dev/null | cut -f2 >"$W/urls"
echo "http://127.0.0.1:$(cat "$W/port")/robots.txt" >>"$W/urls"
echo "site: $N posts, $(grep -c '\.\(jpg\|png\)$' "$W/urls") images, $(wc -l <"$W/urls") URLs"
cd "$W"
measure "sheaf fetch, 1 connection" "$SHEAF" fetch -q --max-pages "$PAGES" --connections 1 \
  "$URL" -o "$W/a1"
measure "sheaf fetch, 2 per host (default)" "$SHEAF" fetch -q --max-pages "$PAGES" "$URL" \
  -o "$W/a2"
measure "wget --warc-file -i urls" wget -q -i "$W/urls" --warc-file="$W/wget" \
  --no-warc-keep-log -O /dev/null
measure "sheaf fetch again (all 304)" "$SHEAF" fetch -q --max-pages "$PAGES" "$URL" -o "$W/a2"
ls -l "$W"/a1/*.warc.gz "$W"/wget.warc.gz | awk '{ print "  " $5 " bytes  " $NF }'
stop

serve --big "$BIG" --port "$(cat "$W/port")"
measure "sheaf fetch, one ${BIG}-byte image" "$SHEAF" fetch -q --max-pages "$PAGES" \
  --max-response-size 1G "$URL" -o "$W/b"
measure "wget, one ${BIG}-byte image" wget -q -i "$W/urls" --warc-file="$W/wgetb" \
  --no-warc-keep-log -O /dev/null
stop
