# --catalog FILE writes an OPDS 1.2 acquisition feed of the books written:
# one entry per volume with title, authors, series, dates, size, the
# cover beside the book as image and thumbnail, and links relative to the
# catalog's folder. Checked here element by element, and every catalog
# against sheaf's own RELAX NG schema, tests/opds/opds-catalog.rnc
# (written from RFC 4287 and OPDS 1.2, stricter where they say MUST),
# with jing; hand-broken catalogs show that the schema can reject. The
# published OPDS schema is not shipped with sheaf (its repository states no
# licence): set SHEAF_OPDS_SCHEMA to a folder holding opds.rnc and the
# RFC 4287 atom.rnc it includes to validate against it as well.
. "$SRCDIR/tests/e2e/lib/common.sh"
command -v jing >/dev/null 2>&1 || { echo "skip: jing not installed (scripts/setup.sh)"; exit 77; }
RNC=$SRCDIR/tests/opds/opds-catalog.rnc
# valid FILE...: jing accepts every file against sheaf's schema.
valid() {
  if jing -c "$RNC" "$@" >"$T/jing.log" 2>&1; then
    pass "jing: $(basename "$1") is valid"
  else
    fail "jing rejects $*"
    grep -v '^\[warning\]' "$T/jing.log" | head -20 >&2
  fi
}

python3 - "$T/a.rss" <<'PY'
import sys, datetime
items = []
for i in range(30):
    d = datetime.datetime(2023, 1, 1) + datetime.timedelta(days=9 * i)
    items.append(f"""<item><title>Post {i:02d}</title>
<link>https://cat.example.org/{i}/</link><guid>https://cat.example.org/?p={i}</guid>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<dc:creator>Ada Lovelace</dc:creator><category>Engines</category>
<description>Body of post {i:02d} &amp; more.</description></item>""")
open(sys.argv[1], "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Analytical Notes</title><link>https://cat.example.org/</link>
<description>Notes on engines</description>
{''.join(items)}</channel></rss>""")
PY

mkdir "$T/books" "$T/cat"
expect_rc 0 "$SHEAF" build "$T/a.rss" --tag engines --title "Analytical Notes" --split 12 -o "$T/books/notes.epub" \
  --catalog "$T/cat/catalog.xml"
[ -f "$T/cat/catalog.xml" ] || fail "no catalog written"
expect_err "wrote .*catalog.xml: an OPDS catalog of 3 books"
for k in 01 02 03; do
  [ "$(head -c 3 "$T/books/notes-$k.jpg" | od -An -tx1 | tr -d ' ')" = "ffd8ff" ] ||
    fail "cover notes-$k.jpg is not a JPEG"
  unzip -p "$T/books/notes-$k.epub" EPUB/images/cover.jpg | cmp -s - "$T/books/notes-$k.jpg" ||
    fail "notes-$k.jpg is not the book's cover"
done
# The thumbnail: a JPEG at most 240 pixels wide (the cover is 1600).
python3 - "$T/books/notes-01.thumb.jpg" <<'PY' || fail "thumbnail"
import sys, struct
b = open(sys.argv[1], "rb").read()
assert b[:3] == b"\xff\xd8\xff", "not a JPEG"
i = 2
while i < len(b):
    assert b[i] == 0xFF
    m = b[i + 1]
    n = struct.unpack(">H", b[i + 2:i + 4])[0]
    if m in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", b[i + 5:i + 9])
        assert 0 < w <= 240 and 0 < h <= 384, (w, h)
        break
    i += 2 + n
else:
    raise SystemExit("no frame header")
PY

python3 - "$T/cat/catalog.xml" "$T/books" <<'PY' || fail "catalog content"
import os, sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
D = "{http://purl.org/dc/terms/}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + "feed", root.tag
assert root.findtext(A + "title") == "Analytical Notes", root.findtext(A + "title")
assert root.findtext(A + "id").startswith("urn:uuid:")
self_ = [l for l in root.findall(A + "link") if l.get("rel") == "self"][0]
assert self_.get("href") == "catalog.xml", self_.get("href")
assert "kind=acquisition" in self_.get("type")
entries = root.findall(A + "entry")
assert [e.findtext(A + "title") for e in entries] == [
    "Analytical Notes: Volume 1", "Analytical Notes: Volume 2", "Analytical Notes: Volume 3"]
for k, e in enumerate(entries, 1):
    assert e.findtext(A + "author/" + A + "name") == "Ada Lovelace"
    assert e.findtext(D + "isPartOf") == "Analytical Notes"
    assert e.findtext(D + "language") == "en"
    assert e.find(A + "category").get("term") == "Engines"
    links = {l.get("rel"): l for l in e.findall(A + "link")}
    acq = links["http://opds-spec.org/acquisition/open-access"]
    assert acq.get("href") == f"../books/notes-{k:02d}.epub", acq.get("href")
    assert acq.get("type") == "application/epub+zip"
    size = os.path.getsize(os.path.join(sys.argv[2], f"notes-{k:02d}.epub"))
    assert acq.get("length") == str(size), (acq.get("length"), size)
    assert links["http://opds-spec.org/image"].get("href") == f"../books/notes-{k:02d}.jpg"
    assert links["http://opds-spec.org/image/thumbnail"].get("href") == f"../books/notes-{k:02d}.thumb.jpg"
    assert links["http://opds-spec.org/image"].get("type") == "image/jpeg"
    assert "12 articles" in e.findtext(A + "summary") or k == 3, e.findtext(A + "summary")
assert entries[0].findtext(D + "issued") == "2023-01-01", entries[0].findtext(D + "issued")
assert "6 articles" in entries[2].findtext(A + "summary")
# RFC 4287 4.1.2: no alternate link, so each entry has content: the
# summary, then the site's description.
assert entries[0].findtext(A + "content") == entries[0].findtext(A + "summary") + " Notes on engines", \
    entries[0].findtext(A + "content")
PY
valid "$T/cat/catalog.xml"

# The schema can fail: catalogs broken by hand, each one way, are
# rejected, for the reason given (jing names the element or value).
python3 - "$T/cat/catalog.xml" "$T" <<'PY' || fail "making the broken catalogs"
import re, sys
good = open(sys.argv[1], encoding="utf-8").read()
def broken(name, pattern, repl):
    bad = re.sub(pattern, repl, good, count=1, flags=re.S)
    assert bad != good, name
    open(f"{sys.argv[2]}/bad-{name}.xml", "w", encoding="utf-8").write(bad)
broken("no-id", r"\n  <id>[^<]*</id>", "")
broken("no-acquisition", r'\n    <link rel="http://opds-spec.org/acquisition/open-access"[^>]*/>', "")
broken("date", r"<updated>(\d{4}-\d\d-\d\d)T", r"<updated>\1 ")
broken("start-type", r'(rel="start" href="[^"]*" type=")[^"]*', r"\1text/html")
broken("self-navigation", r'(rel="self" href="[^"]*" type="[^"]*kind=)acquisition', r"\1navigation")
broken("no-content", r"\n    <content type=\"text\">[^<]*</content>", "")
broken("entry-no-title", r"\n    <title>[^<]*</title>", "")
PY
for bad in no-id:'"id"' no-acquisition:'"link"' date:'updated' \
  start-type:'11:.*"type" is invalid.*kind=navigation"$' \
  self-navigation:'10:.*"type" is invalid; must be equal to "[^"]*kind=acquisition"$' no-content:'"content"' entry-no-title:'"title"'; do
  name=${bad%%:*} why=${bad#*:}
  if jing -c "$RNC" "$T/bad-$name.xml" >"$T/jing.log" 2>&1; then
    fail "jing accepts the broken catalog bad-$name.xml"
  elif grep -v '^\[warning\]' "$T/jing.log" | grep -q "bad-$name.xml:.*$why"; then
    pass "jing rejects bad-$name.xml"
  else
    fail "jing rejects bad-$name.xml for another reason: $(grep -v '^\[warning\]' "$T/jing.log" | head -3)"
  fi
done

# A single book, catalog beside it; names that need escaping in a URI.
expect_rc 0 "$SHEAF" build "$T/a.rss" -o "$T/books/all notes.epub" --catalog "$T/books/one.xml"
grep -q 'href="all%20notes.epub"' "$T/books/one.xml" || fail "escaped href: $(grep -o 'href="[^"]*epub"' "$T/books/one.xml")"
grep -q '<title>Analytical Notes</title>' "$T/books/one.xml" || fail "single book title"
valid "$T/books/one.xml"

# The catalog may not replace an input, and a stream is refused.
expect_rc 4 "$SHEAF" build "$T/a.rss" -o "$T/x.epub" --catalog "$T/a.rss" && expect_err 'file this build read'
head -c 40 "$T/a.rss" | grep -q '<?xml' || fail "the input was touched"

# The OPDS 1.2 schema, where it is at hand.
schema=${SHEAF_OPDS_SCHEMA:-$SRCDIR/../shared/schemas/opds-1.2}
if command -v jing >/dev/null 2>&1 && [ -f "$schema/opds.rnc" ] && [ -f "$schema/atom.rnc" ]; then
  # The published schema (version 2018-08-16) spells the characters a URI
  # may not hold as [ <>{}|^`"\nrt]: a typo for \n\r\t that rejects every
  # URI with an r or a t in it (every urn:uuid: id). Validate against a
  # copy with that one class corrected.
  mkdir "$T/schema"
  cp "$schema/atom.rnc" "$T/schema/"
  sed 's/\\nrt\]/\\n\\r\\t]/' "$schema/opds.rnc" >"$T/schema/opds.rnc"
  grep -q 'n\\r\\t\]' "$T/schema/opds.rnc" || fail "the schema's URI pattern was not found to correct"
  if jing -c "$T/schema/opds.rnc" "$T/cat/catalog.xml" "$T/books/one.xml" >"$T/jing.log" 2>&1; then
    pass "jing: the catalogs are valid OPDS 1.2"
  else
    fail "jing rejects the catalog"
    head -20 "$T/jing.log" >&2
  fi
else
  echo "note: OPDS schema or jing not found ($schema); schema validation skipped"
fi
epubcheck_many "$T/books/notes-01.epub" "$T/books/all notes.epub"
finish
