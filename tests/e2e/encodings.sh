#!/bin/sh
# Encodings and broken feeds (issue 4): every chardet test feed gives the
# titles its declared charset gives (derived by tests/e2e/lib/charset_expect.py),
# and every case of feedparser's encoding/ and illformed/ suites is either read
# or refused with exit 2 and a message: never a crash or a hang.
. "$(dirname "$0")/lib/common.sh"
need_corpus

CHARDET="$CORPUS/chardet/tests"
FP="$CORPUS/feedparser/tests"

if python3 "$SRCDIR/tests/e2e/lib/charset_expect.py" "$SHEAF" "$CHARDET"/*/*.xml >"$T/chardet.log" 2>&1; then
  pass "chardet feeds: $(tail -1 "$T/chardet.log" | tr -s ' ')"
else
  fail "chardet feeds"
  grep -v '^ok' "$T/chardet.log" | head -60 >&2
fi

n=0
books=""
for f in $(find "$FP/encoding" "$FP/illformed" -name '*.xml' | sort); do
  n=$((n + 1))
  timeout 10 "$SHEAF" list "$f" >"$T/out" 2>"$T/err"
  rc=$?
  case $rc in
  0)
    # A title sheaf read must not have lost characters silently: U+FFFD
    # only comes with a warning that says so.
    if grep -q "$(printf '\357\277\275')" "$T/out" && ! grep -q 'U+FFFD' "$T/err"; then
      fail "$f: U+FFFD in a title without a warning"
    fi
    # Where the case names the feed's title, compare it.
    want=$(sed -n "s/^Expect:.*feed\['title'\] == '\([^']*\)'.*/\1/p" "$f" | head -1)
    if [ -n "$want" ]; then
      want=$(python3 -c 'import sys; print(sys.argv[1].encode("ascii").decode("unicode_escape"))' "$want")
      "$SHEAF" build "$f" -o "$T/t.epub" >/dev/null 2>&1 &&
        unzip -p "$T/t.epub" EPUB/content.opf 2>/dev/null | grep -q "$want" ||
        fail "$f: feed title is not \"$want\""
    fi
    ;;
  2 | 3)
    [ -s "$T/err" ] || fail "$f: exit $rc without a message"
    ;;
  124) fail "$f: hangs (over 10 s)" ;;
  *) fail "$f: exit $rc"; sed 's/^/    /' "$T/err" | head -5 >&2 ;;
  esac
done
pass "feedparser encoding/ and illformed/: $n cases, none crashed or hung"

# A sample of books through EPUBCheck: legacy encodings, UTF-16/32, repaired.
i=0
for f in "$CHARDET/Big5/$(ls "$CHARDET/Big5" | grep xml | head -1)" \
         "$CHARDET/KOI8-R/$(ls "$CHARDET/KOI8-R" | grep xml | head -1)" \
         "$CHARDET/SHIFT_JIS/$(ls "$CHARDET/SHIFT_JIS" | grep xml | head -1)" \
         "$CHARDET/windows-1255-hebrew/$(ls "$CHARDET/windows-1255-hebrew" | grep xml | head -1)" \
         "$FP/encoding/utf-16le-bom.xml" "$FP/encoding/utf-32be-autodetect.xml" \
         "$FP/illformed/rss_incomplete_cdata.xml"; do
  i=$((i + 1))
  if "$SHEAF" build "$f" -o "$T/b$i.epub" >"$T/out" 2>"$T/err"; then
    books="$books $T/b$i.epub"
  fi
done
# shellcheck disable=SC2086
[ -n "$books" ] && epubcheck_many $books
finish
