# Finds sheaf's dependencies as imported targets: libxml2, libzip, cmark, iconv,
# zlib, libdeflate, libidn2, libyaml, utf8proc, uchardet, libcurl, and pango, cairo, fontconfig and
# libjpeg for the cover; libpng, giflib, libwebp and lcms2 for images.
# Debian ships broken CMake configs for libzip and cmark, so both come through
# pkg-config; libxml2 and iconv through CMake's own modules.
find_package(LibXml2 REQUIRED)
find_package(Iconv REQUIRED)
find_package(ZLIB REQUIRED) # gzip-compressed feeds (src/import/repair.c), the spool
find_package(Threads REQUIRED) # the spool's deflate workers (src/core/spool.c)
find_package(PkgConfig)

# libzip-tools may be absent, and its CMake config then fails:
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
add_library(libzip::zip ALIAS PkgConfig::LIBZIP)

# The same holds for cmark's config (it names /usr/bin/cmark).
pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)
set(SHEAF_CMARK PkgConfig::CMARK)

# libdeflate: the chapters' raw deflate streams, faster than zlib at the
# same ratio (src/core/spool.c). Debian: libdeflate-dev.
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
# libbrotli: the br content coding of HTTP responses in WARC files (src/warc).
pkg_check_modules(BROTLIDEC REQUIRED IMPORTED_TARGET libbrotlidec)
set(SHEAF_BROTLI PkgConfig::BROTLIDEC)
# IDNA with UTS #46 mapping for internationalized host names (src/core/url.c).
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
# YAML front matter of Markdown posts (src/import/frontmatter.c).
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
# Unicode case folding and NFC of tags and slugs (src/core/slug.c).
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
# Detection of undeclared legacy encodings (src/import/detect.c).
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
set(SHEAF_TEXT_DEPS PkgConfig::IDN2 PkgConfig::YAML PkgConfig::UTF8PROC PkgConfig::UCHARDET)

# libcurl: the only network access, `sheaf fetch` (src/fetch); its multi
# interface runs the capture's transfers. Debian: libcurl4-openssl-dev.
find_package(CURL 7.85 REQUIRED) # CURLOPT_PROTOCOLS_STR

# The generated cover (src/layout/cover.c): pango shapes and wraps the text,
# cairo draws it, fontconfig finds the shipped fonts, libjpeg-turbo encodes.
pkg_check_modules(COVERLIBS REQUIRED IMPORTED_TARGET pangocairo pangoft2 cairo fontconfig)
find_package(JPEG REQUIRED)

# Images made for e-readers (src/image): libjpeg-turbo (above) decodes at a
# reduced scale and encodes, libpng reads and writes PNG, giflib reads GIF,
# libwebp reads WebP (libwebpdemux: animations, ICC and EXIF chunks), lcms2
# converts ICC profiles and CMYK to sRGB. Debian ships no giflib .pc file.
pkg_check_modules(IMAGELIBS REQUIRED IMPORTED_TARGET libpng libwebp libwebpdemux lcms2)
find_package(GIF REQUIRED)
set(SHEAF_IMAGE_DEPS PkgConfig::IMAGELIBS GIF::GIF m) # libm: the scaler's weights

# mimalloc, linked into the command only (SHEAF_MIMALLOC; Debian:
# libmimalloc-dev). Without it the command uses the C library's malloc.
set(SHEAF_CLI_MALLOC "")
if(SHEAF_MIMALLOC AND SHEAF_SANITIZE)
  message(STATUS "mimalloc: off under SHEAF_SANITIZE (the sanitizers' allocator)")
elseif(SHEAF_MIMALLOC)
  find_library(SHEAF_MIMALLOC_LIBRARY NAMES mimalloc)
  find_path(SHEAF_MIMALLOC_INCLUDE_DIR mimalloc.h)
  if(SHEAF_MIMALLOC_LIBRARY AND SHEAF_MIMALLOC_INCLUDE_DIR)
    set(SHEAF_CLI_MALLOC ${SHEAF_MIMALLOC_LIBRARY})
    message(STATUS "mimalloc: ${SHEAF_MIMALLOC_LIBRARY} (the sheaf command)")
  else()
    message(STATUS "mimalloc: not found; the sheaf command uses the C library's malloc")
  endif()
endif()
