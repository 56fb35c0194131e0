# Images made for the reader's screen: real pictures, made here by
# tests/tools/img_make with the codecs' own encoders, in a Markdown post.
# Each becomes a JPEG or PNG of the right size, turned the way the camera
# was held, in sRGB; a picture within the box stays as it is; a bomb and a
# cut-off file become placeholders with a warning naming the file. The
# books pass EPUBCheck and come out the same bytes twice.
. "$SRCDIR/tests/e2e/lib/common.sh"
: "${IMG_MAKE:?IMG_MAKE must name the img_make tool}"

D="$T/site"
mkdir -p "$D/img"
mk() { "$IMG_MAKE" "$@" || fail "img_make $*"; }
mk photo "$D/img/big.jpg" 3000 2000 1
mk exif "$D/img/turned.jpg" 640 480 6
mk cmyk "$D/img/cmyk.jpg" 64 64
mk icc "$D/img/wide.jpg" 64 64
mk alpha "$D/img/alpha.png" 2000 400
mk palette "$D/img/plan.png" 3200 800
mk webp "$D/img/photo.webp" 800 600
mk gif "$D/img/anim.gif" 40 30 3 0
mk gif "$D/img/biganim.gif" 40 30 3 600000
mk bomb "$D/img/bomb.png"
mk photo "$D/img/whole.jpg" 800 600 2
head -c 20000 "$D/img/whole.jpg" >"$D/img/cut.jpg"
mk photo "$D/img/small.jpg" 400 300 3

cat >"$D/2024-05-01-pictures.md" <<'EOF'
---
title: Pictures
date: 2024-05-01
tags: [photos]
---
A post with every kind of picture.

![big photo](img/big.jpg)

![turned photo](img/turned.jpg)

![cmyk picture](img/cmyk.jpg)

![wide gamut](img/wide.jpg)

![see-through](img/alpha.png)

![floor plan](img/plan.png)

![webp photo](img/photo.webp)

![small animation](img/anim.gif)

![large animation](img/biganim.gif)

![bomb](img/bomb.png)

![cut off](img/cut.jpg)

![small photo](img/small.jpg)
EOF

# Python helper: extracts each <img> of the chapters as FILE named by its
# alt text into the folder $2, and prints "alt<TAB>href".
cat >"$T/pull.py" <<'EOF'
import os, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(z.namelist()):
    if not re.match(r"EPUB/text/ch\d+\.xhtml$", n):
        continue
    for m in re.finditer(r'<img src="\.\./([^"]*)" alt="([^"]*)"', z.read(n).decode()):
        with open(os.path.join(sys.argv[2], m.group(2).replace(" ", "_")), "wb") as f:
            f.write(z.read("EPUB/" + m.group(1)))
        print("%s\t%s" % (m.group(2), m.group(1)))
EOF
pull() { # BOOK DIR
  rm -rf "$2" && mkdir -p "$2" && python3 "$T/pull.py" "$1" "$2" >"$2.list"
}
is() { # DIR ALT WANT: the picture with alt text ALT is WANT ("jpeg 1600x1067")
  f="$1/$(echo "$2" | tr ' ' _)"
  if [ ! -f "$f" ]; then
    fail "'$2' not embedded"
    return
  fi
  got=$("$IMG_MAKE" info "$f")
  [ "$got" = "$3" ] && pass "$2: $3" || fail "'$2' is '$got', want '$3'"
}
same() { # DIR ALT FILE: embedded as it is
  cmp -s "$1/$(echo "$2" | tr ' ' _)" "$3" && pass "$2: kept as it is" ||
    fail "'$2' is not the bytes of $3"
}

if expect_rc 0 "$SHEAF" build "$D" -o "$T/pics.epub"; then
  pass "picture book built"
fi
epubcheck "$T/pics.epub"
pull "$T/pics.epub" "$T/p"
is "$T/p" "big photo" "jpeg 1600x1067"
is "$T/p" "turned photo" "jpeg 480x640"
is "$T/p" "cmyk picture" "jpeg 64x64"
is "$T/p" "wide gamut" "jpeg 64x64"
cmp -s "$T/p/wide_gamut" "$D/img/wide.jpg" && fail "the wide-gamut picture was not converted"
is "$T/p" "see-through" "png 1600x320"
is "$T/p" "floor plan" "png 1600x400"
is "$T/p" "webp photo" "jpeg 800x600"
same "$T/p" "small animation" "$D/img/anim.gif"
is "$T/p" "large animation" "png 40x30"
same "$T/p" "small photo" "$D/img/small.jpg"
expect_err 'pictures\.md:[0-9]+: warning: image not embedded \(100000x100000 pixels, over the limit of 100 million \(a decompression bomb\?\)\): img/bomb\.png'
expect_err 'pictures\.md:[0-9]+: warning: image not embedded \(a truncated JPEG \(the file ends before the picture does\)\): img/cut\.jpg'
$CHECK contains "$T/pics.epub" "Image: bomb" || fail "no placeholder for the bomb"
# Converted pictures carry no EXIF (no camera data, no GPS) and are small.
[ "$(wc -c <"$T/p/big_photo")" -lt 600000 ] || fail "the big photo is still large"

# Same input, same bytes.
expect_rc 0 "$SHEAF" build "$D" -o "$T/pics2.epub" &&
  cmp -s "$T/pics.epub" "$T/pics2.epub" && pass "reproducible" || fail "two builds differ"
expect_rc 0 "$SHEAF" build "$D" --threads 1 -o "$T/pics3.epub" &&
  cmp -s "$T/pics.epub" "$T/pics3.epub" && pass "same on one thread" ||
  fail "one thread gives another book"

# --image-size, --grayscale, --original-images.
expect_rc 0 "$SHEAF" build "$D" --image-size 800x800 -o "$T/small.epub"
pull "$T/small.epub" "$T/s"
is "$T/s" "big photo" "jpeg 800x533"
is "$T/s" "floor plan" "png 800x200"
is "$T/s" "small photo" "jpeg 400x300"
expect_rc 0 "$SHEAF" build "$D" --grayscale -o "$T/grey.epub"
epubcheck "$T/grey.epub"
pull "$T/grey.epub" "$T/g"
is "$T/g" "big photo" "jpeg 1600x1067 gray"
is "$T/g" "small photo" "jpeg 400x300 gray"
is "$T/g" "see-through" "png 1600x320 gray"
expect_rc 0 "$SHEAF" build "$D" --original-images -o "$T/orig.epub"
pull "$T/orig.epub" "$T/o"
same "$T/o" "big photo" "$D/img/big.jpg"
same "$T/o" "large animation" "$D/img/biganim.gif"
grep -q '^webp photo' "$T/o.list" && fail "--original-images embedded a WebP"
expect_rc 1 "$SHEAF" build "$D" --image-size 800 -o "$T/x.epub" && expect_err 'image-size'
expect_rc 1 "$SHEAF" build "$D" --image-size 8x8 -o "$T/x.epub" && expect_err 'image-size'

finish
