#!/bin/sh
# Installs the Debian packages sheaf needs to build and test, when they are
# missing. As root (or with sudo) it installs them; otherwise it prints the
# exact command to run. Safe to run again: installed packages are skipped.
set -eu

PACKAGES="build-essential cmake pkg-config libxml2-dev libzip-dev libcmark-dev \
libcmocka-dev zlib1g-dev epubcheck default-jre-headless python3 zip unzip \
valgrind time clang-format clang libclang-rt-14-dev python3-feedparser libbrotli-dev wget"
# Host names (IDNA), YAML front matter, Unicode tags, in a line of their own:
# other work adds packages above. libidn2's static link needs libunistring.
PACKAGES="$PACKAGES libidn2-dev libunistring-dev libyaml-dev libutf8proc-dev"
# libcurl for sheaf fetch (src/fetch), also in a line of its own; the rest
# are what `pkg-config --static --libs libcurl` names (package/consumer).
PACKAGES="$PACKAGES libcurl4-openssl-dev libnghttp2-dev librtmp-dev libssh2-1-dev \
libpsl-dev libkrb5-dev libldap2-dev libzstd-dev"
# The generated cover: pango, cairo, libjpeg-turbo (and djpeg for its test).
PACKAGES="$PACKAGES libcairo2-dev libpango1.0-dev libjpeg62-turbo-dev libjpeg-turbo-progs"
# libdeflate: the chapters' deflate streams (src/core/spool.c).
PACKAGES="$PACKAGES libdeflate-dev"
# jing validates the --catalog OPDS feed against its RELAX NG schema.
PACKAGES="$PACKAGES jing"
# Images made for e-readers (src/image): PNG, GIF, WebP and colour profiles.
PACKAGES="$PACKAGES libpng-dev libgif-dev libwebp-dev liblcms2-dev"
# Detection of undeclared legacy encodings (src/import/detect.c).
PACKAGES="$PACKAGES libuchardet-dev"
# mimalloc, the sheaf command's allocator (CMake option SHEAF_MIMALLOC).
PACKAGES="$PACKAGES libmimalloc-dev"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "setup: all build and test packages are installed"
  exit 0
fi

echo "setup: missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "setup: run this as root (or with sudo), then run make again:" >&2
  echo "  sudo sh -c 'apt-get update && apt-get install -y$missing'" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# The JRE's post-install script needs this folder on slim images.
$SUDO mkdir -p /usr/share/man/man1
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $missing
