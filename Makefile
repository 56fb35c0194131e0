# A thin wrapper around CMake, so the usual commands work:
#   make          build sheaf (build/src/sheaf)
#   make demo     set up, build, and make a sample book from examples/
#   make check    set up, build, and run the whole test suite
#   make corpus   run every file of ../shared/corpus through sheaf
#   make fidelity compare each corpus feed's book with python3-feedparser
#   make bench    benchmark against pandoc and calibre (bench-smoke: quick)
#   make preview  render the first pages of four books to PNG (Chromium)
#   make install  install into PREFIX (default /usr/local)
# The real build lives in CMakeLists.txt; pass CMAKE_FLAGS=... to add to it.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
CMAKE_FLAGS ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SHEAF      := $(BUILD_DIR)/src/sheaf

.PHONY: all setup configure demo check corpus fidelity bench bench-smoke install clean distclean

all: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

setup:
	sh scripts/setup.sh

configure: $(BUILD_DIR)/CMakeCache.txt

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

demo: setup
	$(MAKE) all
	$(SHEAF) build examples/field-notes.rss -o field-notes.epub
	$(SHEAF) build examples/field-notes.rss --tag archiving -o field-notes-archiving.epub
	@if [ -f /usr/share/java/epubcheck.jar ] && command -v java >/dev/null; then \
	  java -jar /usr/share/java/epubcheck.jar field-notes.epub; fi
	@echo "demo: open field-notes.epub (all posts) or field-notes-archiving.epub (tag 'archiving') in any e-reader"

check: setup
	$(MAKE) all
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Every feed-like file of ../shared/corpus through sheaf build, tabulated
# (not part of check; CI runs it when ../shared is there).
corpus: all
	sh tests/corpus/run.sh

# Every corpus feed's book against Python's feedparser: word recall, titles,
# chapters (tests/fidelity/compare.py; known differences in known.txt).
# Exit 77 means skipped: no ../shared/corpus or no python3-feedparser.
fidelity: all
	sh tests/fidelity/run.sh

# The benchmark against pandoc and calibre (minutes), and its small smoke
# run (seconds, sheaf only) that CI runs so the benchmark cannot rot.
bench: all
	sh bench/run
bench-smoke: all
	sh bench/run --smoke
	bash bench/scale --smoke

# The first pages of the demo book and of books with pictures, a
# right-to-left script and Chinese, as PNG files in build/preview/ (headless
# Chromium; not part of check).
preview: all
	sh scripts/preview.sh $(SHEAF) $(BUILD_DIR)/preview

install: all
	cmake --install $(BUILD_DIR)

clean:
	if [ -d $(BUILD_DIR) ]; then cmake --build $(BUILD_DIR) --target clean; fi

distclean:
	rm -rf $(BUILD_DIR)
