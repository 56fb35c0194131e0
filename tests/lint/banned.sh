# The banned-function check (STYLE.md rule 40, after curl's checksrc):
# sprintf, strcpy, strcat, strtok, atoi and gets have safer replacements
# (snprintf, sheaf_buf, strtol...), so no source file may call them.
set -u
cd "${SRCDIR:?}" || exit 1
hits=$(grep -n -E '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' \
  $(find src include tests/unit -name '*.[ch]') | grep -v -E '^\S+:[0-9]+:\s*(/?\*|//)' || true)
if [ -n "$hits" ]; then
  echo "banned functions used:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "ok: no banned functions in $(find src include tests/unit -name '*.[ch]' | wc -l) files"
