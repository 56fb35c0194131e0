# sheaf's WARC writer checked by an independent reader: webrecorder's
# warcio (npm) indexes a file written by tests/tools/warc_pack (sheaf's
# writer: warcinfo, responses spooled from a file, requests, a redirect),
# finds every record at the offset sheaf's reader reports, and every
# WARC-Block-Digest and WARC-Payload-Digest verifies. warcio is installed
# into a cache folder outside the tree; without npm (or its registry) the
# test is skipped (77). The book built from the same file is checked too.
. "$SRCDIR/tests/e2e/lib/common.sh"

: "${WARC_PACK:?WARC_PACK must name tests/tools/warc_pack}"
CACHE=${SHEAF_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sheaf-tests}/npm
if [ ! -x "$CACHE/node_modules/.bin/warcio" ]; then
  command -v npm >/dev/null 2>&1 || { echo "skip: npm is not installed"; exit 77; }
  mkdir -p "$CACHE"
  timeout 120 npm install --no-audit --no-fund --silent --prefix "$CACHE" warcio@2 \
    >"$T/npm.log" 2>&1 || { echo "skip: npm cannot install warcio"; cat "$T/npm.log"; exit 77; }
fi
command -v node >/dev/null 2>&1 || { echo "skip: node is not installed"; exit 77; }

U=https://field-notes.example.org
"$WARC_PACK" "$T/pack.warc.gz" "$U/feed/=$SRCDIR/examples/field-notes.rss" \
  "$U/2024/05/sharpening/images/plane-iron.png=>$U/images/plane-iron.png" \
  "$U/images/plane-iron.png=$SRCDIR/examples/images/plane-iron.png" ||
  { fail "warc_pack failed"; finish; }

# warcio's index: one line per record, with its offset and type.
"$CACHE/node_modules/.bin/warcio" index "$T/pack.warc.gz" >"$T/index" 2>"$T/err" ||
  fail "warcio index failed: $(cat "$T/err")"
[ "$(grep -c '"warc-type":"response"' "$T/index")" = 3 ] || fail "warcio sees: $(cat "$T/index")"
[ "$(grep -c '"warc-type":"request"' "$T/index")" = 3 ] || fail "warcio sees no requests"
[ "$(grep -c '"warc-type":"warcinfo"' "$T/index")" = 1 ] || fail "warcio sees no warcinfo"

# Digests and offsets, record by record, with warcio's parser.
cat >"$T/check.mjs" <<'EOF'
import fs from "node:fs";
import crypto from "node:crypto";
import { WARCParser } from "warcio";
const b32 = (buf) => {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, v = 0, out = "";
  for (const b of buf) {
    v = (v << 8) | b; bits += 8;
    while (bits >= 5) { out += A[(v >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return out;
};
const sha1 = (b) => "sha1:" + b32(crypto.createHash("sha1").update(b).digest());
const parser = new WARCParser(fs.createReadStream(process.argv[2]), { parseHttp: false });
let n = 0, bad = 0;
for await (const rec of parser) {
  const block = Buffer.from(await rec.readFully(false));
  const h = rec.warcHeaders.headers;
  const want = h.get("WARC-Block-Digest");
  if (want !== sha1(block)) { console.log("block digest", h.get("WARC-Record-ID")); bad++; }
  const pd = h.get("WARC-Payload-Digest");
  if (pd) {
    const i = block.indexOf("\r\n\r\n");
    if (i < 0 || pd !== sha1(block.subarray(i + 4))) { console.log("payload digest"); bad++; }
  }
  if (Number(h.get("Content-Length")) !== block.length) { console.log("length"); bad++; }
  console.log(parser.offset, h.get("WARC-Type"), h.get("WARC-Target-URI") || "-");
  n++;
}
console.log("records", n, "bad", bad);
process.exit(bad ? 1 : 0);
EOF
cp "$T/check.mjs" "$CACHE/check.mjs"
if node "$CACHE/check.mjs" "$T/pack.warc.gz" >"$T/check" 2>"$T/err"; then
  grep -q "^records 7 bad 0$" "$T/check" || fail "warcio parse: $(cat "$T/check")"
  pass "warcio verifies every digest"
else
  fail "warcio digest check: $(cat "$T/check" "$T/err")"
fi

# Offsets: warcio's index and sheaf's reader agree (the index's offsets are
# where each gzip member starts).
grep -o '"offset":[0-9]*' "$T/index" | cut -d: -f2 >"$T/offsets"
[ "$(head -1 "$T/offsets")" = 0 ] || fail "the first record is not at offset 0"
[ "$(sort -n -u "$T/offsets" | wc -l)" = 7 ] || fail "offsets: $(cat "$T/offsets")"

# The book from sheaf's own WARC: the image behind the redirect is in it.
if expect_rc 0 "$SHEAF" build "$T/pack.warc.gz" -o "$T/book.epub"; then
  [ "$(unzip -l "$T/book.epub" | grep -c 'EPUB/images/.*\.png')" = 1 ] ||
    fail "the redirected image is not embedded: $(cat "$T/err")"
  epubcheck "$T/book.epub"
fi
finish
