# --split writes a series of whole books, each shelved in order
# (belongs-to-collection, calibre:series), named after -o. Volumes are
# stable: build, let the archive grow by newer articles, build again, and
# every earlier volume is byte-identical; only the last one changed, or a
# new one started. Proved here for a split by count, size, year and month.
. "$SRCDIR/tests/e2e/lib/common.sh"

# gen FILE N: a feed of N posts, one every eleven days from November 2022,
# of growing lengths (so a split by size has something to weigh).
gen() {
  python3 - "$1" "$2" <<'PY'
import sys, datetime, random
n = int(sys.argv[2])
items = []
for i in range(n):
    d = datetime.datetime(2022, 11, 1) + datetime.timedelta(days=11 * i)
    # Letters drawn at random (seeded): text that deflate cannot shrink much,
    # so a split by size has weight to cut.
    rnd = random.Random(i)
    body = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7))
                    for j in range(1200 + 250 * (i % 13)))
    items.append(f"""<item><title>Post {i:03d}</title>
<link>https://long.example.org/{i}/</link><guid>https://long.example.org/?p={i}</guid>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<dc:creator>Author {i % 5}</dc:creator><category>Rivers</category>
<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>""")
open(sys.argv[1], "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Long Archive</title><link>https://long.example.org/</link>
<description>A test archive</description>
{''.join(items)}</channel></rss>""")
PY
}

opf() { unzip -p "$1" EPUB/content.opf; }

gen "$T/a.rss" 40
gen "$T/b.rss" 52
mkdir "$T/one" "$T/two"

# ---- by count: names, titles, series metadata --------------------------------
expect_rc 0 "$SHEAF" build "$T/a.rss" --split 15 -o "$T/one/blog.epub"
expect_err 'wrote .*blog-01.epub: "Long Archive: Volume 1", 15 chapters'
expect_err 'wrote .*blog-03.epub: "Long Archive: Volume 3", 10 chapters'
expect_err '3 volumes, 40 chapters in all'
[ ! -e "$T/one/blog.epub" ] || fail "the unsplit name was written too"
opf "$T/one/blog-02.epub" >"$T/opf2"
grep -q '<dc:title>Long Archive: Volume 2</dc:title>' "$T/opf2" || fail "volume title"
grep -q '<meta property="belongs-to-collection" id="series">Long Archive</meta>' "$T/opf2" ||
  fail "belongs-to-collection"
grep -q '<meta refines="#series" property="collection-type">series</meta>' "$T/opf2" ||
  fail "collection-type"
grep -q '<meta refines="#series" property="group-position">2</meta>' "$T/opf2" ||
  fail "group-position"
grep -q '<meta name="calibre:series" content="Long Archive"/>' "$T/opf2" || fail "calibre:series"
grep -q '<meta name="calibre:series_index" content="2"/>' "$T/opf2" || fail "series_index"
# Volume 2 holds posts 15-29, in order, and dates of its own.
[ "$($CHECK chapters "$T/one/blog-02.epub" | head -1)" = "Post 015" ] || fail "volume 2 starts at post 15"
[ "$($CHECK chapters "$T/one/blog-02.epub" | tail -1)" = "Post 029" ] || fail "volume 2 ends at post 29"
grep -q '<dc:date>2023-04-15</dc:date>' "$T/opf2" || fail "volume 2's own first date"
# Every volume has its own identifier.
[ "$(for f in "$T"/one/blog-0*.epub; do opf "$f" | grep 'dc:identifier'; done | sort -u | wc -l)" -eq 3 ] ||
  fail "identifiers are not distinct"
# The cover and title page name the volume.
unzip -p "$T/one/blog-03.epub" EPUB/text/title.xhtml | grep -q 'Volume 3' || fail "title page"
# Newest first reads backwards inside each volume; volumes still count
# from the oldest.
expect_rc 0 "$SHEAF" build "$T/a.rss" --split 15 --newest-first -o "$T/nf.epub"
[ "$($CHECK chapters "$T/nf-01.epub" | head -1)" = "Post 014" ] || fail "newest first in volume 1"

# ---- stability -----------------------------------------------------------------
for how in 15 300K year month; do
  expect_rc 0 "$SHEAF" build "$T/a.rss" --split "$how" -o "$T/one/s$how.epub"
  expect_rc 0 "$SHEAF" build "$T/b.rss" --split "$how" -o "$T/two/s$how.epub"
  before=$(ls "$T/one" | grep -c "^s$how-")
  after=$(ls "$T/two" | grep -c "^s$how-")
  [ "$after" -gt "$before" ] || [ "$how" = year ] || fail "--split $how: no new volume ($before, $after)"
  last=$(ls "$T/one" | grep "^s$how-" | sort | tail -1)
  same=0
  for f in $(ls "$T/one" | grep "^s$how-"); do
    if [ "$f" = "$last" ]; then
      cmp -s "$T/one/$f" "$T/two/$f" && fail "--split $how: the last volume $f did not grow"
    else
      cmp -s "$T/one/$f" "$T/two/$f" || fail "--split $how: earlier volume $f changed"
      same=$((same + 1))
    fi
  done
  [ "$same" -ge 1 ] || fail "--split $how: nothing compared"
  pass "--split $how: $same earlier volumes byte-identical ($before then $after volumes)"
done
ls "$T/two" | grep -q '^syear-2024.epub$' || fail "year names: $(ls "$T/two" | grep syear)"
ls "$T/two" | grep -q '^smonth-2022-11.epub$' || fail "month names"
opf "$T/two/smonth-2023-02.epub" | grep -q '<dc:title>Long Archive: February 2023</dc:title>' ||
  fail "month title"
# A split by size stays under it.
for f in "$T"/two/s300K-*.epub; do
  [ "$(wc -c <"$f")" -le 307200 ] || fail "$f is over 300K: $(wc -c <"$f")"
done

# A second feed read later (a WordPress tag archive, whose tag is a subject
# of the books it gives articles to) changes no earlier volume.
tagfeed() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
out, tag, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
items = "".join(f"""<item><title>{tag} {i}</title><link>https://wp.example.net/{tag}/{i}/</link>
<pubDate>Mon, 0{i + 1} May {year} 10:00:00 +0000</pubDate><description>Text {i}.</description></item>"""
                for i in range(4))
open(out, "w").write(f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>{tag} Archives - Site</title><link>https://wp.example.net/tag/{tag}/</link>
<description>d</description>{items}</channel></rss>""")
PY
}
tagfeed "$T/alpha.rss" alpha 2021
tagfeed "$T/beta.rss" beta 2022
mkdir "$T/tf1" "$T/tf2"
expect_rc 0 "$SHEAF" build "$T/alpha.rss" --split year -o "$T/tf1/t.epub"
expect_rc 0 "$SHEAF" build "$T/alpha.rss" "$T/beta.rss" --split year -o "$T/tf2/t.epub"
cmp -s "$T/tf1/t-2021.epub" "$T/tf2/t-2021.epub" || fail "a feed read later changed volume 2021"
opf "$T/tf2/t-2022.epub" | grep -q '<dc:subject>beta</dc:subject>' || fail "volume 2022's subject"
opf "$T/tf2/t-2021.epub" | grep -q '<dc:subject>beta</dc:subject>' && fail "beta in volume 2021"

# ---- by size, with pictures: a picture counts once a volume ---------------------
mkdir "$T/pics"
python3 - "$T/pics" <<'PY'
import zlib, struct, random, datetime, sys
out = sys.argv[1]
def png(path, w, h, seed):
    r = random.Random(seed)  # noise: deflate cannot shrink it
    raw = b"".join(b"\x00" + bytes(r.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
png(out + "/shared.png", 160, 160, 1)
items = []
for i in range(20):
    d = datetime.datetime(2023, 1, 1) + datetime.timedelta(days=i)
    r = random.Random(i)
    text = " ".join("".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(800))
    items.append(f"""<item><title>Pic {i:02d}</title><link>https://img.example.org/{i}/</link>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<description>&lt;p&gt;&lt;img src="shared.png" alt="noise"/&gt;{text}&lt;/p&gt;</description></item>""")
open(out + "/feed.rss", "w").write(f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Pictures</title><link>https://img.example.org/</link><description>d</description>{''.join(items)}</channel></rss>""")
PY
expect_rc 0 "$SHEAF" build "$T/pics/feed.rss" --split 300K -o "$T/pics/v.epub"
# The 77K picture is in every chapter but weighs on each volume once: a
# volume holds many chapters, not one.
[ "$($CHECK chapters "$T/pics/v-01.epub" | wc -l)" -ge 10 ] ||
  fail "the shared picture was weighed per chapter: $(cat "$T/err")"
unzip -l "$T/pics/v-01.epub" | grep -q 'images/[0-9a-f]*\.png' || fail "the picture is not embedded"
for f in "$T"/pics/v-*.epub; do
  [ "$(wc -c <"$f")" -le 307200 ] || fail "$f is over 300K: $(wc -c <"$f")"
done

# ---- by size, in one pass: the chapters weighed are the chapters written -----------
# Weighing lays each chapter out alone (no links to the others, the whole
# book's language) and the volume keeps it: links to chapters of the same
# volume are pointed at them afterwards, and a chapter whose fragment link
# stays within it, or whose language the volume changes, is laid out
# again. Each volume's chapters and pictures must be exactly those of a
# volume cut by count at the same articles, which lays out as a book does.
mkdir "$T/lk"
python3 - "$T/lk" <<'PY2'
import zlib, struct, random, datetime, sys
out = sys.argv[1]
def png(path, seed):
    r = random.Random(seed)
    raw = b"".join(b"\x00" + bytes(r.getrandbits(8) for _ in range(270)) for _ in range(90))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 90, 90, 8, 2, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
for k in range(4):
    png(f"{out}/p{k}.png", k)
site = "https://linked.example.org"
items = []
for i in range(24):
    d = datetime.datetime(2023, 1, 1) + datetime.timedelta(days=i)
    r = random.Random(i)
    text = " ".join("".join(r.choice("abcdefghij") for _ in range(6)) for _ in range(500))
    # Most titles in kana: the book is Japanese, the first volume is not.
    title = f"記事 {i:02d} のノート" if i >= 10 else f"Linked {i:02d}"
    own = f'<a href="{site}/{i}/#here">here</a>' if i % 5 == 0 else ""
    body = (f'<p id="here"><a href="{site}/{i - 1}/">previous</a> <a href="{site}/{i + 1}/#top">next</a> '
            f'{own} <a href="{site}/{i}/">this</a> <a href="https://else.example.com/x">out</a></p>'
            f'<p><img src="p{i % 4}.png" alt="pic"/>{text}</p>'
            f'<p>The post <a href="{site}/{i}/">{title}</a> appeared first on <a href="{site}/">Linked</a>.</p>')
    items.append(f"<item><title>{title}</title><link>{site}/{i}/</link><guid>{site}/?p={i}</guid>"
                 f"<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>"
                 f"<description><![CDATA[{body}]]></description></item>")
open(f"{out}/feed.rss", "w").write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    f'<title>Linked</title><link>{site}/</link><description>d</description>{"".join(items)}</channel></rss>')
PY2
# parts BOOK: the chapters and pictures, one line each, as bytes.
parts() {
  unzip -Z1 "$1" | grep -E '^EPUB/(text/ch[0-9]+\.xhtml|images/[0-9a-f]+\.)' | sort | while read -r m; do
    printf '%s %s\n' "$m" "$(unzip -p "$1" "$m" | sha1sum | cut -c1-40)"
  done
}
for extra in --newest-first ""; do
  rm -rf "$T/lk/s" "$T/lk/c" && mkdir "$T/lk/s" "$T/lk/c"
  expect_rc 0 "$SHEAF" build "$T/lk/feed.rss" --split 256K $extra -o "$T/lk/s/v.epub" || continue
  [ "$(ls "$T/lk/s" | wc -l)" -ge 2 ] || fail "one pass: one volume only"
  n1=$($CHECK chapters "$T/lk/s/v-01.epub" | wc -l)
  expect_rc 0 "$SHEAF" build "$T/lk/feed.rss" --split "$n1" $extra -o "$T/lk/c/v.epub" || continue
  for f in v-01 v-02; do
    # Volume 2 of the count holds as many as volume 1: compared when it
    # holds the same articles.
    if [ "$($CHECK chapters "$T/lk/s/$f.epub")" != "$($CHECK chapters "$T/lk/c/$f.epub")" ]; then
      [ $f = v-01 ] && fail "one pass $extra: volume 1 holds other articles"
      continue
    fi
    parts "$T/lk/s/$f.epub" >"$T/lk/s.parts"
    parts "$T/lk/c/$f.epub" >"$T/lk/c.parts"
    if cmp -s "$T/lk/s.parts" "$T/lk/c.parts"; then
      pass "one pass $extra: $f's chapters and pictures are the book's"
    else
      fail "one pass $extra: $f differs from the volume laid out as a book"
      diff "$T/lk/s.parts" "$T/lk/c.parts" | head -5 >&2
    fi
  done
done
# Links to the volume's own chapters point at them, the others stay.
unzip -p "$T/lk/s/v-01.epub" EPUB/text/ch0002.xhtml | grep -q 'href="ch0001.xhtml">previous' ||
  fail "one pass: no link to the previous chapter"
unzip -p "$T/lk/s/v-01.epub" EPUB/text/ch0001.xhtml | grep -q 'href="#here">here' ||
  fail "one pass: the fragment within the chapter"
unzip -p "$T/lk/s/v-02.epub" 'EPUB/text/ch*.xhtml' | grep -q 'href="https://linked.example.org/[0-9]*/">previous' ||
  fail "one pass: a link to the previous volume"

# ---- a pattern --------------------------------------------------------------------
mkdir "$T/pat"
expect_rc 0 "$SHEAF" build "$T/a.rss" --split year -o "$T/pat/archive {key} ({n}).epub"
[ -f "$T/pat/archive 2023 (02).epub" ] || fail "pattern: $(ls "$T/pat")"

# ---- errors ------------------------------------------------------------------------
expect_rc 1 "$SHEAF" build "$T/a.rss" --split weekly -o "$T/x.epub" && expect_err "--split 'weekly'"
expect_rc 1 "$SHEAF" build "$T/a.rss" --split 0 -o "$T/x.epub" && expect_err "--split '0'"
expect_rc 1 "$SHEAF" build "$T/a.rss" --split 10K -o "$T/x.epub" && expect_err "too small"
expect_rc 1 "$SHEAF" build "$T/a.rss" --split 10 -o /dev/stdout && expect_err "several books"
expect_rc 1 "$SHEAF" list "$T/a.rss" --split 10 && expect_err "belong to 'sheaf build'"

# ---- every input kind: WordPress export, Markdown folder, web archive -------
# kind DIR N: the archive of N posts in that kind under DIR; prints the input.
kind() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys, datetime
kind, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
dates = [datetime.datetime(2021, 3, 1) + datetime.timedelta(days=40 * i) for i in range(n)]
if kind == "wxr":
    items = "".join(f"""<item><title>Entry {i:02d}</title><link>https://wp.example.org/?p={i}</link>
<pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate><dc:creator>admin</dc:creator>
<guid isPermaLink="false">https://wp.example.org/?p={i}</guid>
<content:encoded><![CDATA[Paragraph of entry {i:02d}.]]></content:encoded>
<wp:post_id>{i + 1}</wp:post_id><wp:post_date>{d:%Y-%m-%d} 12:00:00</wp:post_date>
<wp:post_date_gmt>{d:%Y-%m-%d} 12:00:00</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>""" for i, d in enumerate(dates))
    open(os.path.join(out, "blog.wordpress.xml"), "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>WP Blog</title>
<link>https://wp.example.org</link><wp:wxr_version>1.2</wp:wxr_version>{items}</channel></rss>""")
    print(os.path.join(out, "blog.wordpress.xml"))
elif kind == "md":
    for i, d in enumerate(dates):
        open(os.path.join(out, f"{d:%Y-%m-%d}-note-{i:02d}.md"), "w").write(
            f"---\ntitle: Note {i:02d}\ndate: {d:%Y-%m-%d}\n---\n\nText of note {i:02d}.\n")
    print(out)
else:
    items = "".join(f"""<item><title>Page {i:02d}</title><link>https://warc.example.org/{i}/</link>
<guid>https://warc.example.org/?p={i}</guid><pubDate>{d.strftime('%a, %d %b %Y 12:00:00 +0000')}</pubDate>
<description>Text of page {i:02d}.</description></item>""" for i, d in enumerate(dates))
    open(os.path.join(out, "feed.xml"), "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Captured Site</title><link>https://warc.example.org/</link>
<description>d</description>{items}</channel></rss>""")
    print(os.path.join(out, "feed.xml"))
PY
}
for k in wxr md warc; do
  # The same folder grows, as it does between two runs of sheaf fetch.
  for n in 9 13; do
    src=$(kind $k "$T/$k" $n)
    if [ $k = warc ]; then
      rm -f "$T/$k/site.warc.gz"
      "$WARC_PACK" "$T/$k/site.warc.gz" "https://warc.example.org/feed/=$src" ||
        fail "warc_pack"
      rm "$src"
      src="$T/$k/site.warc.gz"
    fi
    mkdir -p "$T/out-$k$n"
    expect_rc 0 "$SHEAF" build "$src" --split 4 -o "$T/out-$k$n/v.epub"
    expect_rc 0 "$SHEAF" build "$src" --split year -o "$T/out-$k$n/y.epub"
  done
  for f in v-01 v-02 y-2021; do
    [ -f "$T/out-${k}9/$f.epub" ] || { fail "$k: no $f.epub"; continue; }
    cmp -s "$T/out-${k}9/$f.epub" "$T/out-${k}13/$f.epub" || fail "$k: $f changed as the archive grew"
  done
  cmp -s "$T/out-${k}9/v-03.epub" "$T/out-${k}13/v-03.epub" && fail "$k: the last volume did not grow"
  [ -f "$T/out-${k}13/v-04.epub" ] || fail "$k: no new volume"
  pass "$k: earlier volumes byte-identical"
done
$CHECK chapters "$T/out-md13/v-02.epub" | head -1 | grep -qx 'Note 04' || fail "markdown volume 2"

epubcheck_many "$T/lk/s/v-01.epub" "$T/lk/s/v-02.epub" "$T/pics/v-01.epub" "$T/out-wxr13/v-04.epub" "$T/out-md13/y-2022.epub" "$T/out-warc13/v-02.epub" \
  "$T"/one/blog-0*.epub "$T/two/syear-2024.epub" \
  "$T/two/smonth-2024-05.epub" "$T/two/s300K-01.epub" "$T/nf-01.epub"
finish
