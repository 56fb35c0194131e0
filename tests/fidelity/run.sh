#!/bin/sh
# make fidelity: every feed of ../shared/corpus through `sheaf build`, each
# book compared with what Debian's python3-feedparser reads from the same file
# (compare.py says how). Exits 77 when the corpus or feedparser is absent, 1
# when a feed's word recall drops below 0.99, a title goes missing or a
# chapter shows escaped markup outside known.txt.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHEAF=${SHEAF:-$SRCDIR/build/src/sheaf}
CORPUS=${CORPUS:-$SRCDIR/../shared/corpus}
KNOWN=${KNOWN:-$SRCDIR/tests/fidelity/known.txt}
REPORT=${FIDELITY_REPORT:-$(dirname "$(dirname "$SHEAF")")/fidelity-report.txt}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
[ -d "$CORPUS" ] || { echo "fidelity: $CORPUS is absent; skipped"; exit 77; }
[ -x "$SHEAF" ] || { echo "fidelity: $SHEAF is not built" >&2; exit 1; }
# The system Python, where Debian's feedparser lives (not a virtualenv's).
if ! /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
  echo "fidelity: python3-feedparser is not installed (sh scripts/setup.sh); skipped"
  exit 77
fi
exec /usr/bin/python3 "$SRCDIR/tests/fidelity/compare.py" "$SHEAF" "$CORPUS" "$KNOWN" \
  "$REPORT" "$JOBS"
