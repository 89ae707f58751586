# mdock -- see README.md.  `make test` builds and runs every test; `make demo`
# shows the main job.  Generated sources live in $(BUILD)/gen only.

BUILD    ?= build
CC       ?= cc
RE2C     ?= re2c
BISON    ?= bison
SANITIZE ?= 0

PKGS     := jansson
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Werror $(CFLAGS) -I. -I$(BUILD)/gen \
              -MMD -MP
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson)

ifeq ($(SANITIZE),1)
  ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
  LDFLAGS    += -fsanitize=address,undefined
endif

GEN      := $(BUILD)/gen
LIB_SRCS := $(wildcard base/*.c) $(wildcard frontend/*.c)
GEN_SRCS := $(GEN)/lexer.c $(GEN)/parser.c
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN_SRCS:$(GEN)/%.c=$(BUILD)/gen/%.o)
LIB      := $(BUILD)/libmdock.a
MDOCK    := $(BUILD)/mdock

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all clean test demo deps check-tools unit golden conformance fuzz \
        bench golden-update test-asan
.SECONDARY:

all: $(MDOCK)

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

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
