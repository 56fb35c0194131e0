# Finds sheaf's dependencies as imported targets: libxml2, libzip, cmark, iconv.
# Config packages are preferred; pkg-config is the fallback.
find_package(LibXml2 REQUIRED)
find_package(Iconv REQUIRED)
find_package(PkgConfig)

find_package(libzip CONFIG QUIET)
if(NOT TARGET libzip::zip)
  pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
  add_library(libzip::zip ALIAS PkgConfig::LIBZIP)
endif()

find_package(cmark CONFIG QUIET)
if(TARGET cmark::cmark)
  set(SHEAF_CMARK cmark::cmark)
elseif(TARGET cmark)
  set(SHEAF_CMARK cmark)
else()
  pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)
  set(SHEAF_CMARK PkgConfig::CMARK)
endif()
