# A long archive gets a nested table of contents: by year by default when it
# spans years and has more than 30 chapters; --group-by month, tag and none
# on request. Both nav.xhtml and toc.ncx nest, and every book stays valid.
. "$SRCDIR/tests/e2e/lib/common.sh"

python3 - "$T/long.rss" <<'PY'
import sys, datetime
items = []
tags = ["Rivers", "Bridges", "Canals"]
for i in range(40):
    d = datetime.datetime(2022, 11, 1) + datetime.timedelta(days=11 * i)
    items.append(f"""<item><title>Post {i:02d}</title>
<link>https://long.example.org/{i}/</link><guid>https://long.example.org/?p={i}</guid>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<category>{tags[i % 3]}</category>
<description>Body text of post {i:02d}.</description></item>""")
open(sys.argv[1], "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Long Archive</title>
<link>https://long.example.org/</link><description>Test</description>
{''.join(items)}</channel></rss>""")
PY

nav() { unzip -p "$1" EPUB/nav.xhtml; }
ncx() { unzip -p "$1" EPUB/toc.ncx; }
spans() { nav "$1" | grep -o '<span>[^<]*</span>' | sed 's/<[^>]*>//g' | tr '\n' '|'; }

expect_rc 0 "$SHEAF" build "$T/long.rss" -o "$T/auto.epub"
[ "$(spans "$T/auto.epub")" = "2022|2023|2024|" ] || fail "default grouping by year: $(spans "$T/auto.epub")"
ncx "$T/auto.epub" | grep -q 'name="dtb:depth" content="2"' || fail "ncx depth"
[ "$(ncx "$T/auto.epub" | grep -c '<navPoint')" -eq 43 ] || fail "ncx navPoints: 40 chapters + 3 years"

expect_rc 0 "$SHEAF" build "$T/long.rss" --group-by month -o "$T/month.epub"
spans "$T/month.epub" | grep -q '^November 2022|December 2022|' || fail "by month: $(spans "$T/month.epub")"

expect_rc 0 "$SHEAF" build "$T/long.rss" --group-by tag --tag canals --tag rivers -o "$T/tag.epub"
[ "$(spans "$T/tag.epub")" = "Canals|Rivers|" ] || fail "by tag, selected order: $(spans "$T/tag.epub")"
$CHECK chapters "$T/tag.epub" | head -1 | grep -qx 'Post 02' || fail "tag groups reorder chapters"

expect_rc 0 "$SHEAF" build "$T/long.rss" --group-by none -o "$T/flat.epub"
[ -z "$(spans "$T/flat.epub")" ] || fail "none: $(spans "$T/flat.epub")"
ncx "$T/flat.epub" | grep -q 'name="dtb:depth" content="1"' || fail "flat ncx depth"

# Short books stay flat by default.
expect_rc 0 "$SHEAF" build "$SRCDIR/examples/field-notes.rss" -o "$T/short.epub"
[ -z "$(spans "$T/short.epub")" ] || fail "short book grouped"

expect_rc 1 "$SHEAF" build "$T/long.rss" --group-by weekday && expect_err "group-by"
epubcheck_many "$T/auto.epub" "$T/month.epub" "$T/tag.epub" "$T/flat.epub"
finish
