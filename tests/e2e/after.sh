# --after BOOK.epub... keeps only the articles none of the earlier books
# holds: every sheaf book records its articles' ids in
# META-INF/sheaf-articles.txt (which EPUBCheck accepts), and --after reads
# that record back. A book that is no sheaf book, or no book, is an error;
# an --after book is never overwritten.
. "$SRCDIR/tests/e2e/lib/common.sh"

gen() {
  python3 - "$1" "$2" <<'PY'
import sys, datetime
n = int(sys.argv[2])
items = []
for i in range(n):
    d = datetime.datetime(2023, 1, 1) + datetime.timedelta(days=7 * i)
    items.append(f"""<item><title>Post {i:02d}</title>
<link>https://after.example.org/{i}/</link><guid>https://after.example.org/?p={i}%x</guid>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<description>Body of post {i:02d}.</description></item>""")
open(sys.argv[1], "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>After Archive</title>
<link>https://after.example.org/</link><description>Test</description>
{''.join(items)}</channel></rss>""")
PY
}
gen "$T/a.rss" 10
gen "$T/b.rss" 16

expect_rc 0 "$SHEAF" build "$T/a.rss" -o "$T/old.epub"
unzip -p "$T/old.epub" META-INF/sheaf-articles.txt >"$T/record"
[ "$(grep -vc '^#' "$T/record")" -eq 10 ] || fail "the record holds 10 ids: $(cat "$T/record")"
# '%' in an id is escaped, so an id with a newline could not forge two.
grep -qx 'https://after.example.org/?p=3%25x' "$T/record" || fail "record escaping"

expect_rc 0 "$SHEAF" build "$T/b.rss" --after "$T/old.epub" -o "$T/new.epub"
expect_err '"After Archive", 6 chapters'
[ "$($CHECK chapters "$T/new.epub" | tr '\n' ' ')" = "Post 10 Post 11 Post 12 Post 13 Post 14 Post 15 " ] ||
  fail "only the new posts: $($CHECK chapters "$T/new.epub" | tr '\n' ' ')"
# The new book is a book of its own, not a new edition of the old one.
id() { unzip -p "$1" EPUB/content.opf | grep -o 'urn:uuid:[^<]*'; }
[ "$(id "$T/new.epub")" != "$(id "$T/old.epub")" ] || fail "same identifier as the old book"

# Several books: with volumes, a shell glob after --after names them all.
expect_rc 0 "$SHEAF" build "$T/a.rss" --split 4 -o "$T/vol.epub"
expect_rc 0 "$SHEAF" build "$T/b.rss" --after "$T"/vol-0*.epub -o "$T/since.epub"
expect_err '"After Archive", 6 chapters'
expect_rc 0 "$SHEAF" build "$T/b.rss" --after "$T/vol-01.epub" --after "$T/vol-03.epub" -o "$T/gap.epub"
[ "$($CHECK chapters "$T/gap.epub" | head -1)" = "Post 04" ] || fail "only volumes 1 and 3 held back"

# Nothing new: exit 3 with a message that says so.
expect_rc 3 "$SHEAF" build "$T/a.rss" --after "$T/old.epub" -o "$T/none.epub" &&
  expect_err 'nothing new: the 10 selected articles are all in the books given with --after'
[ ! -e "$T/none.epub" ] || fail "a book of nothing was written"
# Not a book, a book without a record, a missing file.
expect_rc 2 "$SHEAF" build "$T/b.rss" --after "$T/a.rss" -o "$T/x.epub" && expect_err 'not an EPUB'
cp "$T/old.epub" "$T/bare.epub" && zip -q -d "$T/bare.epub" META-INF/sheaf-articles.txt
expect_rc 2 "$SHEAF" build "$T/b.rss" --after "$T/bare.epub" -o "$T/x.epub" &&
  expect_err 'does not record its articles'
expect_rc 2 "$SHEAF" build "$T/b.rss" --after "$T/missing.epub" -o "$T/x.epub" &&
  expect_err 'cannot read the book given with --after'
# The earlier book is never the output.
cp "$T/old.epub" "$T/keep.epub"
expect_rc 4 "$SHEAF" build "$T/b.rss" --after "$T/old.epub" -o "$T/old.epub" && expect_err 'file this build read'
cmp -s "$T/old.epub" "$T/keep.epub" || fail "the --after book was changed"

# Markdown files are named in the record by folder, file name, date and
# title, never by their path: a copy of the folder elsewhere is the same.
mkdir -p "$T/notes" "$T/elsewhere"
for i in 1 2 3; do
  printf -- '---\ntitle: Note %s\ndate: 2024-0%s-01\n---\nText %s.\n' $i $i $i >"$T/notes/n$i.md"
done
expect_rc 0 "$SHEAF" build "$T/notes" -o "$T/notes1.epub"
unzip -p "$T/notes1.epub" META-INF/sheaf-articles.txt | grep -q "$T" && fail "a local path in the record"
unzip -p "$T/notes1.epub" META-INF/sheaf-articles.txt | grep -q '^file:notes/n2@2024-02-01T00:00:00Z#' ||
  fail "file key: $(unzip -p "$T/notes1.epub" META-INF/sheaf-articles.txt)"
printf -- '---\ntitle: Note 4\ndate: 2024-04-01\n---\nText 4.\n' >"$T/notes/n4.md"
cp -r "$T/notes" "$T/elsewhere/"
(cd "$T/elsewhere" && "$SHEAF" build notes --after "$T/notes1.epub" -o "$T/notes2.epub") 2>"$T/err" ||
  fail "markdown --after from a copy: $(cat "$T/err")"
[ "$($CHECK chapters "$T/notes2.epub" | tr '\n' ' ')" = "Note 4 " ] ||
  fail "markdown --after: $($CHECK chapters "$T/notes2.epub" | tr '\n' ' ')"

epubcheck_many "$T/old.epub" "$T/new.epub" "$T/since.epub" "$T/notes2.epub"
finish
