# Which files a build may write (issue 16, items 1-3 and 15). Run by
# faults.sh once as the user running the suite and once as an unprivileged
# user (TMPROOT then in a folder that user owns); WHO names the pass.
. "$SRCDIR/tests/e2e/lib/common.sh"
WHO=${WHO:-$(id -un)}
W=$T/w
mkdir "$W" && cd "$W" || exit 1
FEED="$SRCDIR/examples/field-notes.rss"
# A feed big enough that writing its book takes a while.
BIG=$T/big.rss
python3 - "$BIG" <<'PY'
import sys
para = "<p>" + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit; " * 40) + "</p>"
items = "".join(f"""<item><title>Article {i}</title><link>https://big.example.org/{i}/</link>
<pubDate>Mon, 01 Jan 2024 00:{i % 60:02d}:00 +0000</pubDate>
<description><![CDATA[{para * 6}<p>Unique marker {i}.</p>]]></description></item>""" for i in range(1500))
open(sys.argv[1], "w").write(f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Big</title><link>https://big.example.org/</link><description>x</description>
{items}</channel></rss>""")
PY

# intact FILE COPY WHAT: FILE still has the bytes of COPY.
intact() {
  if cmp -s "$1" "$2"; then pass "$WHO: $3: untouched"; else fail "$WHO: $3: $1 was changed"; fi
}

# 1. Every file the build read is protected, by device and inode, with or
#    without -o: exit 4, a message, nothing touched.
mkdir notes
printf -- '---\ntitle: One\ndate: 2024-01-01\n---\nHello.\n' >notes/one.md
printf -- '---\ntitle: Two\ndate: 2024-01-02\n---\nWorld.\n' >notes/two.md
cp notes/two.md two.orig
expect_rc 4 "$SHEAF" build notes -o notes/two.md && expect_err "notes/two.md: it is a file this build read"
intact notes/two.md two.orig "a file inside an input folder as -o"
[ "$(ls -A notes | tr '\n' ' ')" = "one.md two.md " ] || fail "$WHO: left in notes/: $(ls -A notes)"

cp "$FEED" feed.rss
cp "$SRCDIR/examples/images/plane-iron.png" cover.png
cp cover.png cover.orig
expect_rc 4 "$SHEAF" build feed.rss --cover cover.png -o cover.png && expect_err "this build read"
intact cover.png cover.orig "--cover as -o"
printf 'p { color: #333; }\n' >my.css
cp my.css css.orig
expect_rc 4 "$SHEAF" build feed.rss --css my.css -o my.css && expect_err "this build read"
intact my.css css.orig "--css as -o"

# An image the book embeds (beside the input) as the output.
mkdir pics
cp "$FEED" pics/feed.rss
mkdir pics/images
cp "$SRCDIR/examples/images/plane-iron.png" pics/images/plane-iron.png
cp pics/images/plane-iron.png img.orig
expect_rc 4 "$SHEAF" build pics/feed.rss -o pics/images/plane-iron.png &&
  expect_err "this build read"
intact pics/images/plane-iron.png img.orig "an embedded image as -o"

# No -o: the default name (from the title "Field Notes") is the input.
cp "$FEED" field-notes.epub
cp "$FEED" feed.orig
expect_rc 4 "$SHEAF" build field-notes.epub && expect_err "field-notes.epub: it is a file this build read"
intact field-notes.epub feed.orig "the default output name naming the input"

# Other names for an input: a hard link, a symbolic link in a folder walk.
ln feed.rss hard.epub
expect_rc 4 "$SHEAF" build feed.rss -o hard.epub && expect_err "input|this build read"
intact feed.rss feed.orig "a hard link of the input as -o"
mkdir linked
cp notes/one.md linked/one.md
ln -s ../notes/two.md linked/two-link.epub
expect_rc 4 "$SHEAF" build notes -o linked/two-link.epub && expect_err "this build read"
intact notes/two.md two.orig "a symbolic link to a file of an input folder as -o"
[ -L linked/two-link.epub ] || fail "$WHO: the link linked/two-link.epub was replaced"

# 2. Symbolic links are written through to the regular file they lead to;
#    the link stays. A link to nothing is refused.
expect_rc 0 "$SHEAF" build -q feed.rss -o plain.epub
ln -s plain.epub link.epub
echo old >target.epub
rm plain.epub
ln -sf target.epub link.epub
expect_rc 0 "$SHEAF" build -q feed.rss -o link.epub
[ -L link.epub ] && pass "$WHO: a symlinked output stays a link" || fail "$WHO: link.epub was replaced by a file"
$CHECK structure target.epub >/dev/null && pass "$WHO: the book went to the link's target" ||
  fail "$WHO: target.epub is no book"
ln -s nowhere.epub dangling.epub
expect_rc 4 "$SHEAF" build -q feed.rss -o dangling.epub && expect_err "dangling.epub: it is a symbolic link that leads to no file"
[ -L dangling.epub ] && [ ! -e nowhere.epub ] || fail "$WHO: a dangling link was followed or replaced"

# Descriptors named as files write into the descriptor, never replace it.
"$SHEAF" build -q feed.rss -o /proc/self/fd/1 >viafd.epub 2>err || fail "$WHO: -o /proc/self/fd/1: $(cat err)"
cmp -s viafd.epub target.epub && pass "$WHO: -o /proc/self/fd/1 into a redirected file" ||
  fail "$WHO: -o /proc/self/fd/1 wrote elsewhere"
if [ "$(id -u)" != 0 ]; then
  # (As root, a broken sheaf would replace the machine's /dev/stdout.)
  "$SHEAF" build -q feed.rss -o /dev/stdout >viadev.epub 2>err || fail "$WHO: -o /dev/stdout: $(cat err)"
  cmp -s viadev.epub target.epub && pass "$WHO: -o /dev/stdout > file" || fail "$WHO: -o /dev/stdout wrote elsewhere"
  [ -L /dev/stdout ] || fail "$WHO: /dev/stdout is no longer a link"
  NULLDEV=/dev/null
else
  # A null device of our own, so a broken sheaf cannot harm the system's.
  mknod null c 1 3 2>/dev/null && NULLDEV=$W/null || NULLDEV=/dev/null
fi
expect_rc 0 "$SHEAF" build feed.rss -o "$NULLDEV" && expect_err "wrote"
[ -c "$NULLDEV" ] && pass "$WHO: -o $NULLDEV writes through a character device" ||
  fail "$WHO: $NULLDEV is no longer a device"
if [ -e /dev/full ]; then
  expect_rc 4 "$SHEAF" build -q feed.rss -o /dev/full && expect_err "No space left"
fi
mkfifo fifo
timeout 20 cat fifo >fromfifo.epub &
cat_pid=$!
expect_rc 0 "$SHEAF" build -q feed.rss -o fifo
wait $cat_pid
cmp -s fromfifo.epub target.epub && pass "$WHO: -o FIFO" || fail "$WHO: the book through a FIFO differs"
[ -p fifo ] || fail "$WHO: the FIFO was replaced"
mkdir adir
expect_rc 4 "$SHEAF" build -q feed.rss -o adir && expect_err "adir: Is a directory"

# `-o -`: the book on standard output, the same bytes as a file; into a
# pipe; never onto a terminal; never appended to a file the build read.
expect_rc 0 "$SHEAF" build feed.rss -o - && expect_err "wrote standard output"
cmp -s "$T/out" target.epub && pass "$WHO: -o - > file: the same book as -o FILE" ||
  fail "$WHO: -o - wrote other bytes"
"$SHEAF" build -q feed.rss -o - 2>err | cat >piped.epub
cmp -s piped.epub target.epub && pass "$WHO: -o - into a pipe" || fail "$WHO: -o - | cat: $(cat err)"
if command -v script >/dev/null 2>&1; then
  # script(1) gives the command a terminal as its standard output.
  script -qec "$SHEAF build -q $W/feed.rss -o -; echo rc=\$?" /dev/null >tty.log 2>&1
  grep -q "rc=4" tty.log && grep -q "standard output is a terminal" tty.log &&
    pass "$WHO: -o - onto a terminal refused" || fail "$WHO: -o - on a terminal: $(head -c 300 tty.log)"
fi
cp feed.orig app.rss
"$SHEAF" build -q app.rss -o - >>app.rss 2>err
rc=$?
[ $rc -eq 4 ] && grep -q "this build read" err && pass "$WHO: -o - >> input refused" ||
  fail "$WHO: -o - >> input: exit $rc, $(cat err)"
intact app.rss feed.orig "-o - appended to the input"
expect_rc 3 "$SHEAF" build -q feed.rss --tag no-such-tag -o - && [ ! -s "$T/out" ] &&
  pass "$WHO: -o - writes nothing when the build fails"
expect_rc 1 "$SHEAF" build -q feed.rss --split year -o - && [ ! -s "$T/out" ] &&
  expect_err "one book; --split and --catalog need a file name" &&
  pass "$WHO: -o - with --split refused"
"$SHEAF" build --help | grep -q -- "-o - writes the book to standard output" &&
  pass "$WHO: --help tells of -o -" || fail "$WHO: --help lacks -o -"

# 15. Names of 249-255 bytes work (the temporary name does not grow with
#     the target's); 256 is refused with the system's reason.
for n in 249 255; do
  name=$(printf "%0$((n - 5))d.epub" 0)
  expect_rc 0 "$SHEAF" build -q feed.rss -o "$name" && [ -f "$name" ] &&
    pass "$WHO: a $n-byte output name" || fail "$WHO: a $n-byte output name failed"
  rm -f "$name"
done
name=$(printf "%0251d.epub" 0)
expect_rc 4 "$SHEAF" build -q feed.rss -o "$name" && expect_err "File name too long"

# 3. Killed at any moment (SIGKILL: no cleanup runs), nothing partial is
#    left beside the target, and the old book is intact.
mkdir kill
cp target.epub kill/book.epub
for delay in 0.05 0.15 0.3 0.6; do
  "$SHEAF" build -q "$BIG" -o kill/book.epub >/dev/null 2>&1 &
  pid=$!
  sleep $delay
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  [ "$(ls -A kill)" = "book.epub" ] || fail "$WHO: SIGKILL after ${delay}s left: $(ls -A kill)"
  $CHECK structure kill/book.epub >/dev/null || fail "$WHO: SIGKILL after ${delay}s broke the old book"
done
pass "$WHO: SIGKILL never leaves a partial file"
finish
