# Never lose a file, never hang (issue 16). The file-safety cases (which
# files a build may write: lib/faults_files.sh) run as the current user
# and, when that is root, again as an unprivileged one (nobody), since root
# may write where others cannot. The other cases follow here.
REAL_SHEAF=$SHEAF
. "$SRCDIR/tests/e2e/lib/common.sh"
# Under valgrind (SHEAF_WRAP) the file-safety half, with its kill timing,
# runs unwrapped; the cases below run wrapped, smaller.
WRAPPED=${SHEAF_WRAP:+1}

echo "== file safety as $(id -un)"
SHEAF=$REAL_SHEAF SHEAF_WRAP= WHO=$(id -un) sh "$SRCDIR/tests/e2e/lib/faults_files.sh" ||
  fail "file safety as $(id -un)"
if [ "$(id -u)" = 0 ]; then
  mkdir "$T/nobody" && chown 65534:65534 "$T/nobody" && chmod 711 "$T"
  as_nobody=""
  if command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$REAL_SHEAF" 2>/dev/null; then
    as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
  elif command -v runuser >/dev/null 2>&1 && runuser -u nobody -- test -x "$REAL_SHEAF" 2>/dev/null; then
    as_nobody="runuser -u nobody --"
  fi
  if [ -n "$as_nobody" ]; then
    echo "== file safety as nobody"
    $as_nobody env SHEAF="$REAL_SHEAF" SHEAF_WRAP= TMPROOT="$T/nobody" WHO=nobody \
      sh "$SRCDIR/tests/e2e/lib/faults_files.sh" || fail "file safety as nobody"
  else
    echo "note: cannot run as an unprivileged user here (no setpriv/runuser, or the build is not readable by nobody); that half is skipped"
  fi
else
  echo "note: not root, so the unprivileged half is the run above"
fi
. "$SRCDIR/tests/e2e/lib/faults_input.sh"
finish
