# The installed package works for a consumer: `cmake --install` of this
# build into a scratch prefix, then a tiny program (consumer.c) built
# against it four ways, each run to make a book: CMake with sheaf::sheaf
# and with sheaf::sheaf_static (which needs the config file to find
# sheaf's own dependencies), and pkg-config, shared and --static.
# Needs BUILD (this build tree), SRCDIR and TMPROOT.
set -eu
: "${BUILD:?}" "${SRCDIR:?}"
TMPROOT=${TMPROOT:-${TMPDIR:-/tmp}}
mkdir -p "$TMPROOT"
T=$(mktemp -d "$TMPROOT/consumer.XXXXXX")
trap 'rm -rf "$T"' EXIT
P="$T/prefix"
FEED="$SRCDIR/examples/field-notes.rss"
CC=${CC:-cc}

cmake --install "$BUILD" --prefix "$P" >/dev/null
libdir=$(ls -d "$P"/lib*/pkgconfig | head -1)
libdir=${libdir%/pkgconfig}
failures=0
version=$(sed -n 's/^#define SHEAF_VERSION_STRING "\(.*\)"/\1/p' "$P/include/sheaf/version.h")
check() { # NAME BINARY
  case $1 in *static) # really static: no libsheaf.so needed
    if readelf -d "$2" | grep -q 'libsheaf'; then
      echo "FAIL: $1 needs the shared library" >&2
      failures=$((failures + 1))
    fi ;;
  esac
  if out=$(LD_LIBRARY_PATH="$libdir" "$2" "$FEED" "$T/$1.epub") &&
     [ "$out" = "sheaf $version (built against $version): 4 chapters" ]; then
    echo "ok: $1: $out"
  else
    echo "FAIL: $1: ${out:-no output}" >&2
    failures=$((failures + 1))
  fi
}

# The version is set once (project() in CMakeLists.txt); everything
# installed says the same. The installed command finds its library by
# its RPATH ($ORIGIN/../lib), with no LD_LIBRARY_PATH.
[ "$("$P/bin/sheaf" --version)" = "sheaf $version" ] ||
  { echo "FAIL: installed sheaf --version is not $version" >&2; failures=$((failures + 1)); }
grep -q "\"sheaf $version\"" "$P"/share/man/man1/sheaf.1 ||
  { echo "FAIL: the man page does not say $version" >&2; failures=$((failures + 1)); }
[ "$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --modversion sheaf)" = "$version" ] ||
  { echo "FAIL: sheaf.pc is not $version" >&2; failures=$((failures + 1)); }

for kind in shared static; do
  flag=OFF
  [ "$kind" = static ] && flag=ON
  cmake -S "$SRCDIR/tests/consumer" -B "$T/cmake-$kind" -DCMAKE_PREFIX_PATH="$P" \
    -DCONSUMER_STATIC=$flag >"$T/cmake-$kind.log" 2>&1 &&
    cmake --build "$T/cmake-$kind" >>"$T/cmake-$kind.log" 2>&1 ||
    { cat "$T/cmake-$kind.log" >&2; echo "FAIL: cmake $kind" >&2; exit 1; }
  check "cmake-$kind" "$T/cmake-$kind/consumer"
done

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
$CC -o "$T/pc-shared" "$SRCDIR/tests/consumer/consumer.c" \
  $(pkg-config --cflags --libs sheaf) || { echo "FAIL: pkg-config build" >&2; exit 1; }
check pkg-config "$T/pc-shared"
# --static: what a program linking libsheaf.a needs besides (Libs.private,
# Requires.private); the archive takes -lsheaf's place.
libs=$(pkg-config --static --libs sheaf | sed "s|-lsheaf\b|$libdir/libsheaf.a|")
# shellcheck disable=SC2046,SC2086
$CC -o "$T/pc-static" "$SRCDIR/tests/consumer/consumer.c" $(pkg-config --cflags sheaf) \
  $libs || { echo "FAIL: pkg-config --static build" >&2; exit 1; }
check pkg-config-static "$T/pc-static"
[ "$failures" -eq 0 ]
