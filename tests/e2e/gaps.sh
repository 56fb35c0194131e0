# Honest gaps: what cannot come along shows as a gap a reader can see. A
# picture that is not in the book becomes a styled placeholder (alt text or
# file name, a link to the original); video and audio players become links
# with their title and host; runs of <br> left around collapse; a feed
# item's relative picture is the site's, found in the --assets mirror.
. "$SRCDIR/tests/e2e/lib/common.sh"

expect_rc 0 "$SHEAF" build -v "$FIX/gaps.rss" -o "$T/gaps.epub"
expect_err '5 video or audio players became a link to their page'
unzip -p "$T/gaps.epub" EPUB/text/ch0001.xhtml >"$T/ch"
has() { grep -qF -- "$1" "$T/ch" || fail "missing: $1"; }
has '<p class="sheaf-media"><span class="sheaf-media-kind">Video: </span><a href="https://www.youtube.com/watch?v=abc123XYZ">Boats at dawn</a> (youtube.com)</p>'
has '<a href="https://vimeo.com/12345678">https://vimeo.com/12345678</a> (vimeo.com)'
has '<span class="sheaf-media-kind">Video: </span><a href="https://gaps.example.org/media/clip.mp4">'
has '<span class="sheaf-media-kind">Audio: </span><a href="https://cdn.example.net/pod/ep1.mp3">'
has '<a href="https://www.youtube.com/watch?v=QQQ111">https://www.youtube.com/watch?v=QQQ111</a> (youtube.com)'
grep -q '<iframe\|<video\|<audio\|Your browser' "$T/ch" && fail "a player or its fallback text is left"
# Pictures: alt text, else the file name; linked unless already in a link.
has '<span class="sheaf-missing-image"><span class="sheaf-missing-kind">Image: </span><a href="https://gaps.example.org/2024/holes/img/harbour.jpg">The harbour at night</a></span>'
has '<a href="https://cdn.example.net/up/2024/01/DSC0042.jpg">DSC0042.jpg</a></span>'
has '<a href="https://gaps.example.org/full.jpg"><span class="sheaf-missing-image"><span class="sheaf-missing-kind">Image: </span>Thumb</span></a>'
# A placeholder flush against the text keeps the words apart: a space on
# each side, outside the link or inline element the picture ends.
has '<p><span class="sheaf-missing-image"><span class="sheaf-missing-kind">Image: </span><a href="https://cdn.example.net/up/lead.jpg">lead.jpg</a></span> Ab April the ferry runs.</p>'
has 'cat-thumb.jpg</span></b></a> Twice a day the cat <span class="sheaf-missing-image">'
has '>sun</a></span> naps.</p>'
# Line breaks: one left between the lines, none at the paragraph's end, no
# empty paragraphs.
has '<p>Line one<br/>line two</p>'
grep -q '<p></p>\|<p>&#160;</p>\|<p><br/></p>' "$T/ch" && fail "an empty paragraph is left"
# Code keeps its lines and indentation.
has '<pre>  +--+
  |  |   ascii art'

# A feed item's relative picture, found in the mirror under the item's link
# (not beside the feed file, where a same-named decoy waits).
mkdir -p "$T/feed/img" "$T/mirror/gaps.example.org/2024/holes/img"
cp "$FIX/images/pics/pic.jpg" "$T/mirror/gaps.example.org/2024/holes/img/harbour.jpg"
printf 'not a picture' >"$T/feed/img/harbour.jpg"
cp "$FIX/gaps.rss" "$T/feed/gaps.rss"
expect_rc 0 "$SHEAF" build "$T/feed/gaps.rss" --assets "$T/mirror" -o "$T/mirror.epub"
unzip -p "$T/mirror.epub" EPUB/text/ch0001.xhtml | grep -q '<img src="../images/[0-9a-f]*.jpg" alt="The harbour at night"/>' ||
  fail "the relative picture was not found under the item's link"

epubcheck_many "$T/gaps.epub" "$T/mirror.epub"
finish
