# The format check (issue 11, habits): every C source and header must be
# exactly what clang-format makes of it with the repository's .clang-format.
# Fix a failure with: clang-format -i FILE (or: git ls-files '*.[ch]' |
# xargs clang-format -i). Skips (77) where clang-format is not installed.
set -u
cd "${SRCDIR:?}" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed: skipped"; exit 77; }
bad=""
for f in $(find src include tests/unit tests/abi tests/api tests/consumer fuzz -name '*.[ch]' | sort); do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad="$bad $f"
  fi
done
if [ -n "$bad" ]; then
  echo "not formatted with clang-format (run clang-format -i on them):" >&2
  for f in $bad; do echo "  $f" >&2; done
  exit 1
fi
echo "ok: $(find src include tests/unit tests/abi tests/api tests/consumer fuzz -name '*.[ch]' | wc -l) files formatted"
