# --split, --after and --catalog on every input kind (issue 15): an RSS
# feed, an Atom feed, a WordPress export, a Markdown folder, a folder of
# saved HTML pages and a web archive (WARC) as sheaf fetch writes it (an
# excerpt feed, the article pages, their pictures; packed by
# tests/tools/warc_pack). Each kind's archive is written twice, with 9 and
# with 13 articles (the same first 9), by tests/e2e/lib/kinds.py; every
# article's text holds a marker of its own. For each kind:
#   --split 4, --split year and --split 300K: every article's marker is in
#   exactly one volume, once;
#   --after: the 13-article archive after the 9-article book gives the 4
#   new articles only (in RSS, two items without a guid share a link: the
#   newer one is new);
#   --catalog: jing accepts the catalog against tests/opds/opds-catalog.rnc
#   and it names every volume.
# Then EPUBCheck on every volume, in one JVM.
. "$SRCDIR/tests/e2e/lib/common.sh"

: "${WARC_PACK:?WARC_PACK must name tests/tools/warc_pack}"
command -v unzip >/dev/null 2>&1 || { echo "skip: unzip is not installed"; exit 77; }
command -v jing >/dev/null 2>&1 || { echo "skip: jing not installed (scripts/setup.sh)"; exit 77; }
RNC="$SRCDIR/tests/opds/opds-catalog.rnc"
KINDS="$SRCDIR/tests/e2e/lib/kinds.py"
books=""

# archive KIND N: writes the archive of N articles under $T/N/KIND (the
# same folder name: a Markdown file's record key names its folder) and
# prints what to build from.
archive() {
  dir="$T/$2/$1"
  src=$(python3 "$KINDS" "$1" "$dir" "$2") || { fail "kinds.py $1 $2"; return 1; }
  if [ "$1" = warc ]; then
    printf '%s\n' "$src" >"$dir/list"
    "$WARC_PACK" "$dir/site.warc.gz" "@$dir/list" || { fail "warc_pack"; return 1; }
    src="$dir/site.warc.gz"
  fi
  printf '%s\n' "$src"
}

# markers KIND FIRST LAST BOOK...: the markers of articles FIRST..LAST are
# each in the books' chapters exactly once, and no other article's is.
markers() {
  python3 - "$@" <<'PY'
import re, sys, zipfile
kind, first, last, books = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
found = {}
for b in books:
    with zipfile.ZipFile(b) as z:
        for name in z.namelist():
            if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name):
                text = z.read(name).decode("utf-8")
                for m in re.findall(r"ZQ%sM(\d\d)Z" % kind.upper(), text):
                    found.setdefault(int(m), []).append(b.rsplit("/", 1)[-1])
want = set(range(first, last + 1))
bad = [f"article {i:02d} in {found.get(i, [])}" for i in sorted(want | set(found))
       if (i in want) != (len(found.get(i, [])) == 1) or (i not in want and i in found)]
if bad:
    sys.exit("; ".join(bad))
PY
}

for kind in rss atom wxr md html warc; do
  old=$(archive $kind 9) || continue
  new=$(archive $kind 13) || continue
  o="$T/out-$kind"
  mkdir -p "$o"

  # ---- --split: all the text, each article once -------------------------
  for how in 4 year 300K; do
    if expect_rc 0 "$SHEAF" build "$new" --split "$how" -o "$o/s$how.epub"; then
      vols=$(ls "$o" | grep "^s$how-.*\.epub$" | sed "s|^|$o/|")
      [ -n "$vols" ] || { fail "$kind --split $how: no volume"; continue; }
      if err=$(markers $kind 0 12 $vols 2>&1); then
        pass "$kind --split $how: 13 articles once each in $(echo "$vols" | wc -l) volumes"
      else
        fail "$kind --split $how: $err"
      fi
      books="$books $vols"
    fi
  done
  [ "$(ls "$o" | grep -c '^s4-0[1-4]\.epub$')" -eq 4 ] || fail "$kind --split 4: $(ls "$o")"
  [ "$(ls "$o" | grep -c '^syear-202[123]\.epub$')" -eq 3 ] || fail "$kind --split year: $(ls "$o")"

  # ---- --after: only the new articles -------------------------------------
  if expect_rc 0 "$SHEAF" build "$old" -o "$o/old.epub" &&
    expect_rc 0 "$SHEAF" build "$new" --after "$o/old.epub" -o "$o/new.epub"; then
    if err=$(markers $kind 9 12 "$o/new.epub" 2>&1); then
      pass "$kind --after: the 4 new articles only"
    else
      fail "$kind --after: $err"
    fi
    books="$books $o/new.epub"
  fi
  # Volumes as the earlier books: what they hold is held back.
  expect_rc 0 "$SHEAF" build "$new" --after "$o"/s4-0[12].epub -o "$o/since.epub" &&
    { markers $kind 8 12 "$o/since.epub" || fail "$kind --after two volumes"; }

  # ---- --catalog: valid OPDS that names every volume ----------------------
  mkdir -p "$o/cat"
  if expect_rc 0 "$SHEAF" build "$new" --split year --catalog "$o/cat/catalog.xml" \
    -o "$o/cat/v.epub"; then
    if jing -c "$RNC" "$o/cat/catalog.xml" >"$T/jing.log" 2>&1; then
      pass "$kind --catalog: jing accepts it"
    else
      fail "$kind --catalog: jing rejects it"
      grep -v '^\[warning\]' "$T/jing.log" | head -10 >&2
    fi
    for y in 2021 2022 2023; do
      grep -q "href=\"v-$y.epub\"" "$o/cat/catalog.xml" || fail "$kind --catalog lacks v-$y.epub"
    done
    [ "$(grep -c '<entry>' "$o/cat/catalog.xml")" -eq 3 ] || fail "$kind --catalog: not 3 entries"
  fi
done

# An item without a guid that shares its link with an older one is new.
unzip -p "$T/out-rss/old.epub" META-INF/sheaf-articles.txt | grep -c '^https://rss.example.org/daily/ title:' |
  grep -qx 1 || fail "the record names the guid-less item by link and title"
$CHECK chapters "$T/out-rss/new.epub" | grep -qx 'RSS article 10' || fail "RSS article 10 held back"

epubcheck_many $books
finish
