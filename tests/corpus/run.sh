#!/bin/sh
# make corpus: every feed-like file of ../shared/corpus through `sheaf build`
# (10 s limit each, two at a time), every book through EPUBCheck in one JVM,
# tabulated per top-level folder. Fails on any crash or hang, or when fewer
# than 95% of the well-formed feeds (Python's XML parser accepts them and they
# have an item with a title or some content) build EPUBCheck-clean books.
# Every well-formed feed without a clean book is written, with sheaf's
# messages and EPUBCheck's, to $CORPUS_REPORT (default: corpus-report.txt
# beside the build's src/ directory).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHEAF=${SHEAF:-$SRCDIR/build/src/sheaf}
CORPUS=${CORPUS:-$SRCDIR/../shared/corpus}
EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
BATCH="$SRCDIR/../shared/tools/EpubCheckBatch.java"
CORPUS_REPORT=${CORPUS_REPORT:-$(dirname "$(dirname "$SHEAF")")/corpus-report.txt}
[ -d "$CORPUS" ] || { echo "corpus: $CORPUS is absent; nothing to do"; exit 0; }
[ -x "$SHEAF" ] || { echo "corpus: $SHEAF is not built" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/sheaf-corpus.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Candidates, decided by content: FILE<TAB>wellformed (1/0).
python3 - "$CORPUS" >"$W/list" <<'PY'
import gzip, os, re, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
skip = (".json", ".txt", ".html", ".htm", ".srt", ".md", ".markdown", ".go", ".rs",
        ".py", ".rb", ".php", ".js", ".yml", ".yaml", ".toml", ".css", ".png", ".jpg")
feed_root = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(rss|RDF|feed)[\s>]")
hidden = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
tag = re.compile(r"<[A-Za-z/!][^>]*>")
def words(c):
    # The text of an element. A title that holds HTML (all RSS titles, Atom
    # ones of type html) is text once its markup is gone: a title that is
    # only an <img> gives a chapter nothing to show.
    t = "".join(c.itertext())
    if c.tag.rsplit("}", 1)[-1] == "title":
        atom = c.tag.startswith(("{http://www.w3.org/2005/Atom}", "{http://purl.org/atom/ns#}"))
        typ = c.get("type", "text").lower()
        if not atom or typ in ("html", "text/html") or c.get("mode") == "escaped":
            t = tag.sub(" ", hidden.sub(" ", t))
    return t.strip()
for d, dirs, files in os.walk(root):
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(d, f)
        if f.lower().endswith(skip) or not os.path.isfile(p):
            continue
        raw = open(p, "rb").read()
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = gzip.decompress(raw)
            except Exception:
                pass
        head = raw[:8192]
        if b"\0" in head[:64] and (head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[1:2] == b"\0" or head[:1] == b"\0"):
            for enc in ("utf-16", "utf-32"):
                try:
                    head = raw.decode(enc)[:8192].encode("utf-8", "replace"); break
                except Exception:
                    pass
        if not feed_root.search(head):
            continue
        ok = 0
        try:
            r = ET.fromstring(raw)
            # An item counts when it has something to make a chapter of
            # (many test fixtures hold items with just an enclosure or a date).
            text = ("title", "description", "summary", "content", "encoded")
            for e in r.iter():
                if e.tag.rsplit("}", 1)[-1] in ("item", "entry") and any(
                        c.tag.rsplit("}", 1)[-1] in text and words(c) for c in e):
                    ok = 1
                    break
        except Exception:
            pass
        print(f"{p}\t{ok}")
PY

# One run per file: records exit status and whether stderr said anything.
cat >"$W/one.sh" <<'SH'
f=$1; id=$(printf '%s' "$f" | cksum | cut -d' ' -f1)
timeout 10 "$SHEAF" build "$f" -o "$W/b/$id.epub" >/dev/null 2>"$W/r/$id.err"
rc=$?
printf '%s\t%s\t%s\n' "$rc" "$([ -s "$W/r/$id.err" ] && echo 1 || echo 0)" "$id" >"$W/r/$id.rc"
SH
mkdir -p "$W/b" "$W/r"
export SHEAF W
cut -f1 "$W/list" | tr '\n' '\0' | xargs -0 -n1 -P2 sh "$W/one.sh"

# EPUBCheck on every book in one JVM.
: >"$W/check.log"
if ls "$W/b"/*.epub >/dev/null 2>&1; then
  if [ -f "$BATCH" ] && [ -f "$EPUBCHECK_JAR" ] && command -v java >/dev/null 2>&1; then
    ls "$W/b"/*.epub | java -cp "$EPUBCHECK_JAR" "$BATCH" >"$W/check.log" 2>&1
  else
    echo "corpus: EPUBCheck (or its batch runner) is missing; books are not checked" >&2
  fi
fi

python3 - "$W" "$CORPUS" "$CORPUS_REPORT" <<'PY'
import collections, os, subprocess, sys
w, corpus, report = sys.argv[1], sys.argv[2], sys.argv[3]
clean = set()
msgs = collections.defaultdict(list)  # book id -> EPUBCheck's messages
book = None
for line in open(os.path.join(w, "check.log"), errors="replace"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 4 and parts[1].startswith("errors="):
        book = os.path.basename(parts[0])[:-5]
        if parts[1:] == ["errors=0", "warnings=0", "fatal=0"]:
            clean.add(book)
    elif line.startswith("\t") and book:
        msgs[book].append(line.strip())
cols = ["files", "built", "clean", "failed", "crashed", "hung"]
tab = collections.OrderedDict()
wf = wf_clean = 0
bad = []
bad_wf = []
for line in open(os.path.join(w, "list")):
    path, ok = line.rstrip("\n").split("\t")
    folder = os.path.relpath(path, corpus).split(os.sep)[0]
    row = tab.setdefault(folder, dict.fromkeys(cols, 0))
    row["files"] += 1
    ident = subprocess.run(["cksum"], input=path.encode(), capture_output=True).stdout.split()[0].decode()
    rcf = os.path.join(w, "r", ident + ".rc")
    rc, said = (open(rcf).read().split("\t")[:2] if os.path.exists(rcf) else ("999", "0"))
    rc = int(rc)
    if rc == 0:
        row["built"] += 1
        if ident in clean:
            row["clean"] += 1
    elif rc == 124:
        row["hung"] += 1; bad.append(("hang", path))
    elif 1 <= rc <= 4 and said == "1":
        row["failed"] += 1
    else:
        row["crashed"] += 1; bad.append((f"exit {rc}", path))
    if ok == "1":
        wf += 1
        wf_clean += rc == 0 and ident in clean
        if not (rc == 0 and ident in clean):
            bad_wf.append((rc, path, ident))
tot = dict.fromkeys(cols, 0)
print(f"{'folder':28s}" + "".join(f"{c:>9s}" for c in cols))
for folder, row in tab.items():
    print(f"{folder:28s}" + "".join(f"{row[c]:9d}" for c in cols))
    for c in cols:
        tot[c] += row[c]
print(f"{'total':28s}" + "".join(f"{tot[c]:9d}" for c in cols))
pct = 100.0 * wf_clean / wf if wf else 100.0
print(f"well-formed feeds with an item: {wf}; EPUBCheck-clean books from them: {wf_clean} ({pct:.1f}%)")
for why, p in bad:
    print(f"  {why}: {p}")
for rc, p, _ in bad_wf[:40]:
    print(f"  well-formed, no clean book (exit {rc}): {p}")
try:
    with open(report, "w") as out:
        for rc, p, ident in bad_wf:
            out.write(f"{os.path.relpath(p, corpus)}\texit {rc}\n")
            errf = os.path.join(w, "r", ident + ".err")
            said = open(errf, errors="replace").read().splitlines() if os.path.exists(errf) else []
            for l in said[:8]:
                out.write(f"  sheaf: {l}\n")
            for l in msgs.get(ident, [])[:8]:
                out.write(f"  epubcheck: {l}\n")
    print(f"details of the {len(bad_wf)} well-formed feeds without a clean book: {report}")
except OSError as e:
    print(f"corpus: cannot write {report}: {e}", file=sys.stderr)
sys.exit(1 if bad or pct < 95.0 else 0)
PY
