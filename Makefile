# rustnote - review Rust learning notes against a topic overview.
#
#   make            build ./rustnote
#   make run        install missing packages, build, review the bundled note
#   make check      build with ASan+UBSan, run unit and end-to-end tests
#   make bench      print speed and memory figures
#   make fuzz       run each libFuzzer harness FUZZ_SECONDS (default 60)
#   make valgrind   the command-line end-to-end tests under memcheck
#   make eval       measure the offline reviewer on the keyed corpus
#   make deps       install missing build/test packages (Debian)
#   make install    install under $(DESTDIR)$(PREFIX)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/rustnote
MANDIR     ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC         ?= cc
VERSION    := 0.1.0

CORE_PKGS := libcjson libcmark libpcre2-8 sqlite3
PKGS     := ncursesw libcurl $(CORE_PKGS)
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
            -Wstrict-prototypes -Wwrite-strings -Wno-unused-parameter
CFLAGS   ?= -O2 -g
# The hardening Debian builds with; empty them to build without.
HARDEN_CPPFLAGS ?= -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
HARDEN_CFLAGS   ?= -fstack-protector-strong
HARDEN_LDFLAGS  ?= -Wl,-z,relro,-z,now
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
BASE_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DRN_VERSION='"$(VERSION)"' \
               -DRN_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
ALL_CPPFLAGS = $(BASE_CPPFLAGS) $(HARDEN_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARN) -pthread -MMD -MP $(HARDEN_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(HARDEN_LDFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

# The tests' build: clang when present, as its UBSan checks more (gcc's
# "undefined" leaves out float-cast-overflow, named here for both).
SAN_CC    ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo $(CC))
SAN_FLAGS := -O1 -g -fsanitize=address,undefined,float-cast-overflow \
             -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC := $(sort $(wildcard src/core/*.c))
LIB_SRC  := $(CORE_SRC) $(sort $(wildcard src/net/*.c src/tui/*.c src/rustc/*.c))
# What the core links with: no curl, no curses.
CORE_LIBS = $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null) -lm
MAIN_SRC := src/main.c $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

# Objects of a build flavour: $(call objs,DIR,SOURCES)
objs = $(patsubst %.c,$(1)/%.o,$(2))

B  ?= build
BA ?= $(B)/asan

.PHONY: fuzz fuzz-build valgrind
.PHONY: all run check unit e2e bench eval eval-tuning deps install uninstall clean FORCE
# Keep test objects between runs.
.SECONDARY:
all: rustnote rules/checked.stamp

# Replaced, not written over: a running copy keeps its file.
rustnote: $(B)/rustnote
	cp $< $@.tmp && mv -f $@.tmp $@

# Every example of the bundled rules, checked by the program just built:
# a misbehaving one stops the build here, with its file and line.  The
# stamp that check leaves lets every start of this program, the first one
# too, trust these files (rules/README.md); any other build, or an edited
# file, checks them again.
RULE_FILES := $(sort $(wildcard rules/*.rules))
STAMP_HOME  = $(abspath $(B))/stamp-home
rules/checked.stamp: rustnote $(RULE_FILES)
	@rm -rf $@ $(STAMP_HOME) && mkdir -p $(STAMP_HOME)
	HOME=$(STAMP_HOME) XDG_CONFIG_HOME=$(STAMP_HOME) \
	    XDG_CACHE_HOME=$(STAMP_HOME) XDG_DATA_HOME=$(STAMP_HOME) \
	    RUSTNOTE_DATADIR=$(CURDIR) ./rustnote review --offline --no-compile \
	    --plain notes/02-memory-model.md >/dev/null
	cp $(STAMP_HOME)/rustnote/rules-checked $@
	@rm -rf $(STAMP_HOME)

$(B)/librustnote.a: $(call objs,$(B),$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/rustnote: $(call objs,$(B),$(MAIN_SRC)) $(B)/librustnote.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/%.o: %.c $(B)/datadir.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The data folder is compiled in, so a build for another PREFIX (make
# install PREFIX=/usr after make) must not reuse these objects: the stamp
# changes, and everything after it is built again.
$(B)/datadir.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

FORCE:

# --- sanitizer build for the tests ----------------------------------------
# No _FORTIFY_SOURCE here: ASan checks every access, and fortified calls
# would bypass its interceptors.
$(BA)/%.o: %.c $(B)/datadir.stamp
	@mkdir -p $(dir $@)
	$(SAN_CC) $(BASE_CPPFLAGS) $(CPPFLAGS) -std=c11 $(WARN) -pthread -MMD -MP \
	    $(HARDEN_CFLAGS) $(SAN_FLAGS) -DRN_UNITTEST -c -o $@ $<

$(BA)/librustnote.a: $(call objs,$(BA),$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BA)/rustnote: $(call objs,$(BA),$(MAIN_SRC)) $(BA)/librustnote.a
	$(SAN_CC) $(SAN_FLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BA)/libcore.a: $(call objs,$(BA),$(CORE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

# The review pipeline's tests link the core alone: were it to call into
# src/net or src/tui, or into curl or curses, this link would fail.
$(BA)/tests/unit/test_review: $(BA)/tests/unit/test_review.o $(BA)/libcore.a
	$(CC) $(SAN_FLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CORE_LIBS) \
	    $(shell $(PKG_CONFIG) --libs cmocka)

$(BA)/tests/unit/%: $(BA)/tests/unit/%.o $(BA)/librustnote.a
	$(SAN_CC) $(SAN_FLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) \
	    $(shell $(PKG_CONFIG) --libs cmocka)

UNIT_BINS := $(patsubst tests/unit/%.c,$(BA)/tests/unit/%,$(TEST_SRC))

# --- fuzzing (tests/fuzz/) -----------------------------------------------
# One harness per parser of outside input.  `make fuzz` builds each with
# clang's libFuzzer and runs it FUZZ_SECONDS; `make check` replays each
# over its seed corpus once, built with the test compiler and replay.c.
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAYS := $(patsubst %,$(BA)/tests/fuzz/replay_%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
BF           ?= $(B)/fuzz
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all

$(BA)/tests/fuzz/replay_%.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(SAN_CC) $(BASE_CPPFLAGS) $(CPPFLAGS) -std=c11 $(WARN) -pthread \
	    $(SAN_FLAGS) -DFUZZ_CORPUS='"tests/fuzz/corpus/$*"' \
	    -DFUZZ_NAME='"fuzz_$*"' -c -o $@ $<

$(BA)/tests/fuzz/replay_%: $(BA)/tests/fuzz/fuzz_%.o \
    $(BA)/tests/fuzz/replay_%.o $(BA)/librustnote.a
	$(SAN_CC) $(SAN_FLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BF)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CPPFLAGS) $(CPPFLAGS) -std=c11 $(WARN) -pthread -MMD \
	    -MP $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(BF)/librustnote.a: $(call objs,$(BF),$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BF)/fuzz_%: $(BF)/tests/fuzz/fuzz_%.o $(BF)/librustnote.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $^ \
	    $(LIBS)

fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { \
	    echo "fuzz: $(FUZZ_CC) not found; run make deps" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(patsubst %,$(BF)/fuzz_%,$(FUZZ_NAMES))

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) BF=$(BF) ./tests/fuzz/run $(FUZZ_NAMES)

# The command-line end-to-end tests with rustnote under valgrind memcheck
# (the plain build: valgrind and ASan do not mix); any error fails them.
VALGRIND_TESTS ?= test_cli. test_llm_cli. test_hostile.

valgrind: $(B)/rustnote
	@command -v valgrind >/dev/null 2>&1 || { \
	    echo "valgrind: not found; run make deps" >&2; exit 1; }
	@fail=0; for t in $(VALGRIND_TESTS); do \
	    RUSTNOTE_DATADIR=$(CURDIR) \
	    RUSTNOTE_VALGRIND_BIN=$(abspath $(B))/rustnote \
	    RUSTNOTE_BIN=$(CURDIR)/tests/valgrind-rustnote \
	    python3 tests/e2e/run.py $$t || fail=1; done; \
	    if [ $$fail -eq 0 ]; then echo "valgrind: 0 errors"; \
	    else echo "valgrind: failures above"; exit 1; fi

# Tests find prompts/ and rules/ in this tree, wherever the build went.
check: $(BA)/rustnote $(UNIT_BINS) $(FUZZ_REPLAYS)
	RUSTNOTE_DATADIR=$(CURDIR) RUSTNOTE_BIN=$(abspath $(BA))/rustnote ./tests/run-tests $(UNIT_BINS) $(FUZZ_REPLAYS)

unit: $(UNIT_BINS)
	./tests/run-tests --unit-only $(UNIT_BINS)

e2e: $(BA)/rustnote
	RUSTNOTE_DATADIR=$(CURDIR) RUSTNOTE_BIN=$(abspath $(BA))/rustnote ./tests/run-tests --e2e-only

$(B)/bench_core: $(B)/tests/bench/bench_core.o $(B)/librustnote.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

bench: rustnote rules/checked.stamp $(B)/bench_core
	./tests/bench/run

# The offline reviewer against the keyed corpus (tests/corpus/README.md).
eval: rustnote rules/checked.stamp
	./tests/corpus/eval.py

eval-tuning: rustnote rules/checked.stamp
	./tests/corpus/eval.py --half tuning -v

run: deps rustnote rules/checked.stamp
	./rustnote review notes/02-memory-model.md

deps:
	@./tools/deps.sh

# --- install ----------------------------------------------------------------
install: rustnote rules/checked.stamp
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/prompts \
	    $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/notes \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 rustnote $(DESTDIR)$(BINDIR)/rustnote
	install -m 644 prompts/* $(DESTDIR)$(DATADIR)/prompts/
	install -m 644 rules/*.rules rules/code-claims.txt rules/checked.stamp \
	    $(DESTDIR)$(DATADIR)/rules/
	install -m 644 notes/*.md $(DESTDIR)$(DATADIR)/notes/
	install -m 644 doc/rustnote.1 $(DESTDIR)$(MANDIR)/man1/rustnote.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rustnote $(DESTDIR)$(MANDIR)/man1/rustnote.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build rustnote rules/checked.stamp

-include $(shell find $(B) $(BA) -name '*.d' 2>/dev/null)
