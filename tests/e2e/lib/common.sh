# Shared helpers for the end-to-end tests (sourced, POSIX sh).
# The test runner sets SHEAF (the built CLI), SRCDIR and TMPROOT.
set -u
: "${SHEAF:?SHEAF must name the sheaf binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
TMPROOT=${TMPROOT:-${TMPDIR:-/tmp}}
mkdir -p "$TMPROOT"
T=$(mktemp -d "$TMPROOT/$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$T"' EXIT
FIX="$SRCDIR/tests/fixtures"
CORPUS="$SRCDIR/../shared/corpus"
CHECK="python3 $SRCDIR/tests/e2e/lib/epub_check.py"
EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
failures=0

# SHEAF_WRAP runs every sheaf command under a tool, e.g. CI's leak check:
#   SHEAF_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
# A memory error or leak then changes the exit code, and the test fails.
if [ -n "${SHEAF_WRAP:-}" ]; then
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$SHEAF_WRAP" "$SHEAF" >"$T/sheaf-wrapped"
  chmod +x "$T/sheaf-wrapped"
  SHEAF="$T/sheaf-wrapped"
fi

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

pass() {
  echo "ok: $*"
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  exit 0
}

need_corpus() {
  if [ ! -d "$CORPUS" ]; then
    echo "skip: $CORPUS is absent"
    exit 77
  fi
}

# expect_rc WANT CMD...: runs CMD, stderr to $T/err, stdout to $T/out.
expect_rc() {
  want=$1
  shift
  "$@" >"$T/out" 2>"$T/err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/    stderr: /' "$T/err" >&2
    return 1
  fi
  return 0
}

# expect_err PATTERN: the last command's stderr matches the grep -E pattern.
expect_err() {
  if ! grep -Eq -- "$1" "$T/err"; then
    fail "stderr lacks /$1/"
    sed 's/^/    stderr: /' "$T/err" >&2
    return 1
  fi
  return 0
}

# epubcheck BOOK: EPUBCheck must report no error and no warning. When the
# jar or java is missing, the whole test is skipped (77) unless the caller
# set REQUIRE_EPUBCHECK=1, as CI does.
epubcheck() {
  # The sanitizer and valgrind re-runs of the suite build the same books the
  # plain run already checked; CI sets this for them to save the JVM time.
  if [ "${SHEAF_SKIP_EPUBCHECK:-0}" = 1 ]; then
    return 0
  fi
  if [ ! -f "$EPUBCHECK_JAR" ] || ! command -v java >/dev/null 2>&1; then
    if [ "${REQUIRE_EPUBCHECK:-0}" = 1 ]; then
      fail "EPUBCheck is required but $EPUBCHECK_JAR or java is missing"
      return 1
    fi
    echo "skip: EPUBCheck not installed"
    exit 77
  fi
  java -jar "$EPUBCHECK_JAR" "$1" >"$T/epubcheck.log" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || grep -Eq '^(WARNING|ERROR|FATAL)' "$T/epubcheck.log"; then
    fail "EPUBCheck on $1 (exit $rc)"
    grep -E '^(WARNING|ERROR|FATAL)|Messages' "$T/epubcheck.log" | head -20 >&2
    return 1
  fi
  pass "EPUBCheck clean: $(basename "$1")"
  return 0
}

# epubcheck_many BOOK...: EPUBCheck on many books in one JVM when the
# shared batch runner is there (much faster), else one by one.
epubcheck_many() {
  if [ "${SHEAF_SKIP_EPUBCHECK:-0}" = 1 ]; then
    return 0
  fi
  batch="$SRCDIR/../shared/tools/EpubCheckBatch.java"
  if [ -f "$batch" ] && [ -f "$EPUBCHECK_JAR" ] && command -v java >/dev/null 2>&1; then
    # The runner exits 0 only when every book has no error and no warning.
    if java -cp "$EPUBCHECK_JAR" "$batch" "$@" >"$T/epubcheck.log" 2>&1; then
      pass "EPUBCheck clean: $# books"
      return 0
    fi
    fail "EPUBCheck batch"
    grep -v -E 'errors=0	warnings=0	fatal=0' "$T/epubcheck.log" | head -30 >&2
    return 1
  fi
  for b in "$@"; do epubcheck "$b"; done
}
