# mdock -- see README.md.  `make test` builds and runs every test; `make demo`
# shows the main job.  Generated sources live in $(BUILD)/gen only.

BUILD    ?= build
CC       ?= cc
RE2C     ?= re2c
BISON    ?= bison
SANITIZE ?= 0

PKGS     := jansson libcrypto libzstd libdeflate yaml-0.1
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Werror $(CFLAGS) -I. -I$(BUILD)/gen \
              -MMD -MP
# libcrypto is only compiled against: it is loaded on first use
# (base/crypto_dl.c), like libcurl and libarchive
LINKED   := jansson libzstd libdeflate yaml-0.1
LINKED_LIBS := $(shell pkg-config --libs $(LINKED) 2>/dev/null || echo -ljansson -lzstd -ldeflate -lyaml)
# They are linked in from their -dev packages' static archives when all
# are there (STATIC_LIBS=0 links the shared ones): each shared library is
# found, mapped and relocated at every start, a third of the start-up of
# a command as short as `mdock lint Dockerfile`.
STATIC_LIBS ?= $(if $(strip $(foreach l,jansson zstd deflate yaml,$(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),,x))),0,1)
ifeq ($(STATIC_LIBS),1)
  LDLIBS := -Wl,-Bstatic $(LINKED_LIBS) -Wl,-Bdynamic -lpthread
else
  LDLIBS := $(LINKED_LIBS) -lpthread
endif

ifeq ($(SANITIZE),1)
  ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
  LDFLAGS    += -fsanitize=address,undefined
endif

GEN      := $(BUILD)/gen
MODULES  := base frontend ir lint store registry runtime backend cli
LIB_SRCS := $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
GEN_SRCS := $(GEN)/lexer.c $(GEN)/parser.c
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN_SRCS:$(GEN)/%.c=$(BUILD)/gen/%.o)
LIB      := $(BUILD)/libmdock.a
MDOCK    := $(BUILD)/mdock

TEST_SRCS := $(wildcard tests/test_*.c)
CHECK_SCHEMA := $(BUILD)/tests/check_schema
FAULT_PROXY  := $(BUILD)/tests/fault_proxy
MKTAR        := $(BUILD)/tests/mktar
AGENT_PROBE  := $(BUILD)/tests/agent_probe
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all clean test check check-deps demo deps check-tools fuzz fuzz-build fuzz-smoke bench golden-update valgrind install uninstall realworld docs
.SECONDARY:

all: $(MDOCK) $(BUILD)/mdock.1

# the man page is made from the binary's own help (tools/manpage.sh)
$(BUILD)/mdock.1: $(MDOCK) tools/manpage.sh
	sh tools/manpage.sh $(MDOCK) > $@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary in
# $(PREFIX)/bin, the man page in $(PREFIX)/share/man/man1
PREFIX ?= /usr/local
install: $(MDOCK) $(BUILD)/mdock.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(MDOCK) $(DESTDIR)$(PREFIX)/bin/mdock
	install -m 0644 $(BUILD)/mdock.1 $(DESTDIR)$(PREFIX)/share/man/man1/mdock.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mdock $(DESTDIR)$(PREFIX)/share/man/man1/mdock.1

$(GEN)/%.c $(GEN)/%.h: grammar/%.y
	@mkdir -p $(GEN)
	$(BISON) -Wall -Werror -d -o $(GEN)/parser.c $<

$(GEN)/lexer.c: grammar/lexer.re
	@mkdir -p $(GEN)
	$(RE2C) -W -Werror --no-generation-date --no-version -o $@ $<

# Generated C is not ours to lint: relaxed warnings.
$(BUILD)/gen/%.o: $(GEN)/%.c | $(GEN)/parser.h
	$(CC) $(filter-out -Werror -Wshadow,$(ALL_CFLAGS)) -Wno-unused-function \
	  -Wno-sign-compare -c -o $@ $<

$(BUILD)/%.o: %.c | $(GEN)/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(MDOCK): $(BUILD)/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CHECK_SCHEMA): tests/check_schema.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(FAULT_PROXY): tests/fault_proxy.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# static: it runs inside a busybox image
$(AGENT_PROBE): tests/agent_probe.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -Werror -O2 -static -o $@ $<

$(MKTAR): tests/mktar.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -larchive

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

deps:
	@sh tools/deps.sh

# Includes follow the module DAG (README "Layout"): a wrong-way include, or
# another module's private header, fails here.
check-deps:
	@sh tools/check_deps.sh

check-tools:
	@$(RE2C) --version && $(BISON) --version | head -1 && $(CC) --version | head -1

# Real-world builds in make test: 3 (1 under ASan+UBSan, where each build
# is slower and the apt steps are the same; CI stays under 30 minutes).
RW_N := $(if $(filter 1,$(SANITIZE)),1,3)

# docs/rules.md from lint/rules.def and the lint test cases
docs:
	sh tools/rules_md.sh > docs/rules.md

# The unit and conformance suites, the error goldens and the real corpus.
check: $(MDOCK) $(TEST_BINS) $(CHECK_SCHEMA) $(FAULT_PROXY) $(MKTAR) $(AGENT_PROBE)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done
	@echo "== error goldens"; sh tests/golden_errors.sh $(MDOCK)
	@echo "== ir goldens"; sh tests/golden_ir.sh $(MDOCK) $(CHECK_SCHEMA)
	@echo "== lint goldens"; sh tests/golden_lint.sh $(MDOCK)
	@echo "== command line"; sh tests/cli.sh $(MDOCK)
	@echo "== docker's command line"; sh tests/cli_docker_compat.sh $(MDOCK)
	@echo "== make install"; sh tests/install.sh $(BUILD)
	@echo "== build --ssh"; sh tests/build_ssh.sh $(MDOCK) $(AGENT_PROBE)
	@echo "== lint outputs"; sh tests/lint_outputs.sh $(MDOCK) $(CHECK_SCHEMA)
	@echo "== lint as hadolint"; sh tests/lint_hadolint.sh $(MDOCK)
	@echo "== lint for Modal"; sh tests/lint_modal.sh $(MDOCK)
	@echo "== ir --emit modal"; sh tests/emit_modal.sh $(MDOCK)
	@echo "== docs/rules.md"; sh tests/docs_rules.sh $(MDOCK)
	@echo "== real corpus"; sh tests/real_corpus.sh $(MDOCK)
	@echo "== limits"; MDK_SANITIZED=$(SANITIZE) sh tests/limits.sh $(MDOCK)
	@echo "== builds"; sh tests/build_e2e.sh $(MDOCK)
	@echo "== build cache"; sh tests/build_cache.sh $(MDOCK)
	@echo "== progress and image identity"; sh tests/progress.sh $(MDOCK)
	@echo "== progress in a terminal"; sh tests/progress_tty.sh $(MDOCK)
	@echo "== history against real BuildKit"; sh tests/buildkit_history.sh $(MDOCK)
	@echo "== differential (real BuildKit)"; sh tests/differential_buildkit.sh $(MDOCK)
	@echo "== real-world builds ($(RW_N) of tests/realworld/manifest.tsv)"; sh tests/realworld.sh $(MDOCK) $(RW_N)
	@echo "== mdock run"; sh tests/run_cmd.sh $(MDOCK)
	@echo "== mdock run -it in a terminal"; sh tests/run_tty.sh $(MDOCK)
	@echo "== rootless, and RUN's network"; sh tests/rootless.sh $(MDOCK)
	@echo "== multi-platform builds"; sh tests/multiplatform.sh $(MDOCK)
	@echo "== ADD URL"; sh tests/build_add_url.sh $(MDOCK)
	@echo "== ADD git"; sh tests/build_add_git.sh $(MDOCK)
	@echo "== modal dialect builds"; sh tests/build_modal.sh $(MDOCK)
	@echo "== runtime runc"; sh tests/runtime_runc.sh $(MDOCK)
	@echo "== registry pull"; sh tests/registry_pull.sh $(MDOCK)
	@echo "== registry auth"; sh tests/registry_auth.sh $(MDOCK)
	@echo "== registry token service"; sh tests/registry_token.sh $(MDOCK)
	@echo "== registry faults"; sh tests/registry_faults.sh $(MDOCK)
	@echo "== registry retries"; sh tests/registry_retries.sh $(MDOCK) $(FAULT_PROXY)
	@echo "== differential (buildah)"; sh tests/differential.sh $(MDOCK)
	@echo "== store faults"; sh tests/store_faults.sh $(MDOCK)
	@echo "== kill points"; sh tests/kill_points.sh $(MDOCK)
	@echo "== secrets"; sh tests/secrets.sh $(MDOCK)
	@echo "== hostile inputs"; MDK_SANITIZED=$(SANITIZE) sh tests/hostile.sh $(MDOCK) $(MKTAR)

# What the README and CI run: dependencies, the suites, the unit tests
# under valgrind, all the suites again under ASan+UBSan, then a short
# deterministic run of every fuzzer.
test: deps
	$(MAKE) check-deps
	$(MAKE) check
	$(MAKE) valgrind
	$(MAKE) SANITIZE=1 BUILD=build-asan check
	$(MAKE) fuzz-smoke
	@echo "all tests passed (normal, valgrind and ASan+UBSan builds, fuzz smoke)"

# The unit tests again under valgrind's memcheck: uninitialised reads and
# definite leaks that ASan does not see.  (valgrind has no openat2, so this
# also runs the userspace fallback of base/inroot.c.)
valgrind: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== valgrind $$t"; \
	  valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	    $$t > $$t.valgrind.log 2>&1 || { grep -v '^--' $$t.valgrind.log | tail -40; exit 1; }; \
	  grep -c '^\[       OK' $$t.valgrind.log | sed 's/$$/ tests clean/'; done

golden-update: $(MDOCK)
	MDK_UPDATE_GOLDEN=1 sh tests/golden_errors.sh $(MDOCK)

DEMO_ROOT := $(abspath $(BUILD))/demo-store
DEMO_BB   := $(BUILD)/demo-busybox
demo: deps
	$(MAKE) all
	@echo '$$ mdock ir -f testdata/demo/Dockerfile  (the layer IR with cache keys)'
	@./$(MDOCK) ir -f testdata/demo/Dockerfile
	@echo '$$ mdock lint testdata/demo/Dockerfile'
	@./$(MDOCK) lint --no-color testdata/demo/Dockerfile || true
	@echo '--- builds into a local store ($(DEMO_ROOT)): no daemon, no network'
	@rm -rf $(DEMO_BB) && mkdir -p $(DEMO_BB) && cp testdata/demo-busybox/Dockerfile $(DEMO_BB)/ && cp /bin/busybox $(DEMO_BB)/busybox
	@echo '$$ mdock build -t mdock-demo/busybox $(DEMO_BB)   (FROM scratch + busybox-static)'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) build --progress plain -t mdock-demo/busybox $(DEMO_BB)
	@echo '$$ mdock build -t mdock-demo/app testdata/demo-app'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) build --progress plain -t mdock-demo/app testdata/demo-app
	@echo '$$ mdock build -t mdock-demo/app testdata/demo-app   (again: every step cached)'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) build --progress plain -t mdock-demo/app testdata/demo-app
	@echo '$$ mdock run mdock-demo/app'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) run mdock-demo/app
	@echo '$$ mdock run --check-entrypoint mdock-demo/app   (does Modal'"'"'s command run?)'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) run --check-entrypoint mdock-demo/app
	@echo '$$ mdock images'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) images
	@echo '$$ mdock export mdock-demo/app --output type=oci,tar=false,dest=$(BUILD)/demo-oci'
	@rm -rf $(BUILD)/demo-oci
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) export mdock-demo/app --output type=oci,tar=false,dest=$(BUILD)/demo-oci
	@echo '$$ mdock fsck'
	@MDOCK_ROOT=$(DEMO_ROOT) ./$(MDOCK) fsck

# libFuzzer targets (tests/fuzz/fuzz_*.c): the parser, the IR builder and
# hasher, the lint engine, .dockerignore matching, references and auth
# challenges, registry manifests and indexes, stored image documents and
# configs, the layer (tar) reader; seeded from testdata and
# ../shared/corpus.  `make fuzz` runs
# each for FUZZ_SECONDS, `make fuzz-smoke` (part of `make test`)
# FUZZ_SMOKE_RUNS inputs each.
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	  build-fuzz/libmdock.a
	@set -e; for t in $(FUZZ_TARGETS); do \
	  clang $(FUZZ_FLAGS) -I. -Ibuild-fuzz/gen -o build-fuzz/$$t tests/fuzz/$$t.c \
	    build-fuzz/libmdock.a $(LDLIBS); done
	sh tests/fuzz/seeds.sh build-fuzz/seeds

fuzz: fuzz-build
	sh tests/fuzz/campaign.sh $(FUZZ_SECONDS) $(FUZZ_JOBS)

# the smoke run is deterministic: a fixed seed and number of runs, from
# the seeds alone (so CI fails on a bug, not on luck)
fuzz-smoke: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/smoke-$$t; mkdir -p build-fuzz/smoke-$$t; \
	  echo "== fuzz-smoke $$t ($(FUZZ_SMOKE_RUNS) runs)"; \
	  build-fuzz/$$t -seed=1 -runs=$(FUZZ_SMOKE_RUNS) -max_len=4096 \
	    -timeout=10 -rss_limit_mb=2048 build-fuzz/smoke-$$t \
	    build-fuzz/seeds/$$t > build-fuzz/smoke-$$t.log 2>&1 || \
	    { tail -40 build-fuzz/smoke-$$t.log; exit 1; }; \
	  tail -1 build-fuzz/smoke-$$t.log; done

# Every real Dockerfile of tests/realworld/manifest.tsv built by mdock and
# by BuildKit on a Debian base from Debian's mirror, compared; the table of
# both builders' times goes to build/realworld.md.
realworld: deps $(MDOCK)
	MDK_REALWORLD_REPORT=$(abspath $(BUILD))/realworld.md sh tests/realworld.sh $(MDOCK)

bench: $(MDOCK)
	sh bench/parse.sh
	sh bench/keys.sh
	bash bench/lint.sh
	sh bench/layer.sh
	sh bench/build.sh
	sh bench/registry.sh

# every build directory: build, build-asan, build-fuzz, build-dev, ...
clean:
	rm -rf build build-*

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
