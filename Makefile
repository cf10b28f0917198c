# SPDX-License-Identifier: BSD-2-Clause
# proclife: eBPF process-lifecycle tracer
#
#   make            build build/proclife and build/proclife-workload (nothing else)
#   make run        install what is missing, build, trace the built-in workload
#   make test       install what is missing, build the product and the tests, run every
#                   test (as root); the fuzz targets run over their seed corpus only
#   make fuzz       coverage-guided fuzzing, FUZZ_SECONDS per target (default 60)
#   make bench      install what is missing, build, measure cost against peers (as root)
#   make deps       install the Debian packages the build and tests need
#   make install    PREFIX (/usr/local) and DESTDIR as packages use them; make uninstall
#   make vmlinux    regenerate vmlinux/ARCH/vmlinux.h from the running kernel's BTF
#   V=1             show the commands
#
# CFLAGS, CXXFLAGS, CPPFLAGS and LDFLAGS are the builder's (a packager's
# hardening flags, -O0 -g for a debugger): they come after the project's own
# flags, which stay. Warnings are errors here and in CI; WERROR= makes them
# warnings again for a compiler newer than the code. LTO= builds without
# link-time optimisation.

# clean beside other goals (make -j2 clean all): each goal in a make of its
# own, in the order given, so nothing is built into a folder being removed
# nor removed from under a build
ifneq ($(and $(filter clean,$(MAKECMDGOALS)),$(filter-out clean,$(MAKECMDGOALS))),)
.PHONY: $(MAKECMDGOALS)
.NOTPARALLEL:
$(firstword $(MAKECMDGOALS)):
	+@for goal in $(MAKECMDGOALS); do $(MAKE) --no-print-directory $$goal || exit 1; done
$(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS)):
	@:
else

OUT      := build
CC       ?= cc
CXX      ?= c++
CLANG    ?= clang
CLANGXX  ?= clang++
BPFTOOL  ?= bpftool
LLVM_STRIP ?= llvm-strip
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
JOBS     ?= $(shell nproc)

CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
# link-time optimisation: a record goes from the ring through the model to
# the writer across a dozen files, and inlined across them the tracer
# spends a tenth less per record (LTO= builds without it)
LTO      ?= -flto=auto
WERROR   ?= -Werror
WARN     := -Wall -Wextra $(WERROR)
# the skeleton is generated into $(OUT)
INCLUDES := -Iinclude -Isrc -I$(OUT)
DEPFLAGS := -MMD -MP
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
endif
ALL_CFLAGS   = $(WARN) -std=gnu11 -D_GNU_SOURCE $(DEPFLAGS) $(INCLUDES) $(SAN_FLAGS) $(LTO) \
	       $(SONAME_DEFS) $(CPPFLAGS) $(CFLAGS)
ALL_CXXFLAGS = $(WARN) -std=c++17 $(DEPFLAGS) $(INCLUDES) $(SAN_FLAGS) $(LTO) $(CPPFLAGS) $(CXXFLAGS)
ALL_LDFLAGS  = $(SAN_FLAGS) $(LTO) $(LDFLAGS)
# simdjson reads logs back (replay) and workload manifests (verify)
JSON_LIBS := -lsimdjson -lstdc++
TRACER_LIBS := -lbpf -lelf -lz -lcap $(JSON_LIBS)
# libmicrohttpd (serving --metrics) and libsystemd (telling systemd the
# tracer is ready) are opened when first needed (src/util/lazy_lib.h), by
# the name the installed library gives itself
soname = $(shell readelf -d "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | \
	   sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
# (a variable of their own: a CPPFLAGS given on the command line replaces
# any added to it here)
$(OUT)/obj/src/service/http.o: SONAME_DEFS = -DMHD_SONAME='"$(call soname,microhttpd)"'
$(OUT)/obj/src/service/notify.o: SONAME_DEFS = -DSYSTEMD_SONAME='"$(call soname,systemd)"'
# BPF_DEFS: -D options for the BPF side alone (e.g. -DZOMBIE_SLOTS=1)
# the architecture the BPF side is compiled for (vmlinux/ARCH/vmlinux.h)
BPF_ARCH ?= $(ARCH)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) -D__BPF__ $(BPF_DEFS) $(WARN) \
	      -Wno-unused-parameter -Wno-missing-field-initializers $(DEPFLAGS) \
	      -Ivmlinux/$(BPF_ARCH) -Iinclude

# a make of its own for run, test and bench: in parallel unless told otherwise
SUBMAKE   = $(MAKE) --no-print-directory $(if $(findstring -j,$(MAKEFLAGS)),,-j$(JOBS))

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: FORCE all run test test-programs hash-tracer test-kernels deps vmlinux clean bench soak fuzz \
	bpf-arches install uninstall

# code with no libbpf in it: shared by the tracer, replay and unit tests
CORE_SRCS     := $(wildcard src/core/*.c src/log/*.c src/model/*.c src/output/*.c src/util/*.c \
		   src/verify/*.c)
# the binding to simdjson (log lines, manifests), the one C++ file
CORE_CXX_SRCS := $(wildcard src/log/*.cpp)
TRACER_SRCS   := $(wildcard src/commands/*.c src/tracer/*.c src/capture/*.c src/service/*.c)
WORKLOAD_SRCS := $(wildcard src/workload/*.c)
UNIT_SRCS     := $(wildcard tests/unit/test_*.c)
HELPER_SRCS   := $(wildcard tests/e2e/lifecycle/*.c)

# the version, from one place: VERSION. Only util/version.c includes the
# header made from it, so a new version rebuilds one file
VERSION      := $(shell cat VERSION)
VERSION_HDR  := $(OUT)/gen/version.h

# the HTML report's page: report.html and report.js, real files a linter
# reads, embedded as C (output/export_html_page.h) at build time
PAGE_FILES    := src/output/html/report.html src/output/html/report.js
PAGE_SRC      := $(OUT)/gen/report_page.c

obj = $(patsubst %.cpp,$(OUT)/obj/%.o,$(patsubst %.c,$(OUT)/obj/%.o,$(1)))
CORE_OBJS     := $(call obj,$(CORE_SRCS) $(CORE_CXX_SRCS)) $(OUT)/gen/report_page.o
TRACER_OBJS   := $(call obj,$(TRACER_SRCS))
WORKLOAD_OBJS := $(call obj,$(WORKLOAD_SRCS))
UNIT_BINS     := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
HELPER_BINS   := $(patsubst tests/e2e/lifecycle/%.c,$(OUT)/tests/%,$(HELPER_SRCS))
# the benchmark's workloads and the model's own figures
BENCH_BINS    := $(OUT)/bench/plbench-storm $(OUT)/bench/plbench-nop $(OUT)/bench/model_bench \
		 $(OUT)/bench/parse_bench $(OUT)/bench/plbench-floor $(OUT)/bench/floor.bpf.o
# one BPF object linked from a file per hook family (bpf/)
# maps.bpf.c, which defines the maps the others declare, links first:
# bpftool 7.1 misplaces maps whose first sight is a declaration
BPF_SRCS      := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_UNITS     := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_OBJ       := $(OUT)/bpf/proclife.o
SKEL          := $(OUT)/proclife.skel.h

# libFuzzer targets for the parsers
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))

all: $(OUT)/proclife $(OUT)/proclife-workload

# what make test runs besides the product
# pid 1 of the kernel matrix's guests: static, so the initramfs needs no libc for it
MATRIX_INIT   := $(OUT)/tests/matrix-init
# the tracer again with one zombie slot, so the tests reach the zombies'
# hash, which the slots leave to rare pid collisions (not under sanitizers)
HASH_TRACER   := $(OUT)/hash-zombies/proclife
# the bench's programs are built too, so a change that breaks them shows here
test-programs: $(UNIT_BINS) $(HELPER_BINS) $(FUZZ_BINS) $(MATRIX_INIT) $(if $(SANITIZE),,hash-tracer) \
	       $(if $(SANITIZE),,$(BENCH_BINS))

hash-tracer:
	$(Q)$(MAKE) --no-print-directory OUT=$(OUT)/hash-zombies BPF_DEFS=-DZOMBIE_SLOTS=1 $(HASH_TRACER)

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c | $(OUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# linked, then stripped of DWARF (BTF, which CO-RE needs, stays)
$(BPF_OBJ): $(BPF_UNITS)
	$(call msg,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^
	$(Q)$(LLVM_STRIP) -g $@

$(SKEL): $(BPF_OBJ)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name proclife_bpf > $@

# the skeleton must exist before anything that includes it is compiled
$(TRACER_OBJS): | $(SKEL)

$(OUT)/obj/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(PAGE_SRC): $(PAGE_FILES) src/output/html/embed.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sh src/output/html/embed.sh $(PAGE_FILES) > $@

$(VERSION_HDR): VERSION
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)printf '#define PL_VERSION "%s"\n' '$(VERSION)' > $@

$(OUT)/obj/src/util/version.o $(OUT)/fuzz/obj/src/util/version.o: $(VERSION_HDR)

$(OUT)/gen/report_page.o: $(PAGE_SRC)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUT)/obj/%.o: %.cpp
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(OUT)/proclife: $(TRACER_OBJS) $(CORE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(TRACER_LIBS) -o $@

# sanitizer builds: the traced programs must not fork a leak checker at exit
SAN_QUIET     := $(if $(SANITIZE),tests/sanitize_quiet.c)

$(OUT)/proclife-workload: $(WORKLOAD_OBJS) $(call obj,$(wildcard src/util/*.c)) $(SAN_QUIET)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lpthread -o $@

# the records' reader is the tracer's, but pure: its test links it alone
$(OUT)/tests/test_records: $(call obj,src/capture/record.c src/capture/kills.c)
# so are the metrics and their labels (no HTTP in them)
$(OUT)/tests/test_metrics: $(call obj,src/service/metrics.c src/service/cgroup_labels.c)
# and the count of runs the kernel skipped, read from the programs' fdinfo
$(OUT)/tests/test_skipped_runs: $(call obj,src/capture/skipped_runs.c)
$(OUT)/tests/test_skipped_runs: TEST_LIBS := -lbpf

$(OUT)/tests/test_%: tests/unit/test_%.c $(CORE_OBJS) | $(OUT)/tests
	$(call msg,TEST,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ -lcmocka $(JSON_LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests/%: tests/e2e/lifecycle/%.c $(SAN_QUIET) | $(OUT)/tests
	$(call msg,PROG,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ -lpthread -luring -o $@

# without sanitizers: the benchmark's programs measure speed, and the
# static ones could not take them
PLAIN_CFLAGS = $(filter-out $(SAN_FLAGS),$(ALL_CFLAGS))

$(MATRIX_INIT): tests/kernels/init.c | $(OUT)/tests
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) $(LDFLAGS) -static $< -o $@

# static, both: the storms measure fork, exec, exit and wait, not the
# dynamic loader (each forked child would bind _exit lazily, on its own)
$(OUT)/bench/plbench-storm: tests/bench/storm.c | $(OUT)/bench
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) $(LDFLAGS) -static $< -o $@

$(OUT)/bench/plbench-nop: tests/bench/nop.c | $(OUT)/bench
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) $(LDFLAGS) -static $< -o $@

# programs that do nothing, for the cost of bpf_stats' own measurement
$(OUT)/bench/floor.bpf.o: tests/bench/floor.bpf.c | $(OUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bench/plbench-floor: tests/bench/floor.c | $(OUT)/bench
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PLAIN_CFLAGS) $(LDFLAGS) $< -lbpf -o $@

$(OUT)/bench/model_bench: tests/bench/model_bench.c $(CORE_OBJS) | $(OUT)/bench
	$(call msg,PROG,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ -lcmocka $(JSON_LIBS) $(TEST_LIBS) -o $@

$(OUT)/bench/parse_bench: tests/bench/parse_bench.c $(CORE_OBJS) | $(OUT)/bench
	$(call msg,PROG,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(JSON_LIBS) $(TEST_LIBS) -o $@

$(OUT)/bpf $(OUT)/tests $(OUT)/bench $(OUT)/fuzz:
	$(Q)mkdir -p $@

# Debian packages for build, tests and benchmark; apt-get only runs when one is missing
DEB_PKGS := make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev \
	    g++ libsimdjson-dev libmicrohttpd-dev libsystemd-dev \
	    libcmocka-dev pkg-config python3 python3-pytest stress-ng libcap2-bin libcap-dev util-linux libclang-rt-14-dev \
	    bpftrace forkstat libbpf-tools valgrind graphviz chromium strace \
	    qemu-system-x86 busybox-static cpio liburing-dev \
	    prometheus systemd logrotate procps man-db
deps:
	$(Q)missing=; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
		{ echo "error: cannot install:$$missing" >&2; exit 1; }; \
	fi

# the BPF side compiled for every architecture vmlinux/ holds types for
# (make test): arm64's come from Debian's arm64 kernel's BTF
bpf-arches:
	$(Q)for a in $(notdir $(wildcard vmlinux/*)); do \
		$(MAKE) --no-print-directory BPF_ARCH=$$a OUT=$(OUT)/bpf-$$a $(OUT)/bpf-$$a/bpf/proclife.o \
			|| exit 1; \
	done

vmlinux:
	$(call msg,GEN,vmlinux/$(ARCH)/vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

# deps first, on its own: the build needs what it installs
run:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(SUBMAKE) all
	$(Q)$(OUT)/proclife trace --tree --summary -- $(OUT)/proclife-workload all

test:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(SUBMAKE) all test-programs
	$(Q)OUT=$(OUT) SANITIZE=$(SANITIZE) ./tests/run.sh

# the kernel matrix alone (make test runs it too): Debian's 5.10, 6.1 and
# 6.12 under qemu, and the running kernel
test-kernels:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(SUBMAKE) all $(HELPER_BINS) $(MATRIX_INIT)
	$(Q)PROCLIFE_BUILD=$(OUT) /usr/bin/python3 tests/kernels/matrix.py \
		$(if $(PROCLIFE_KERNELS),--suites $(PROCLIFE_KERNELS))

# as root; writes build/bench.json and prints the table
bench:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(SUBMAKE) all $(BENCH_BINS)
	$(Q)PROCLIFE_BUILD=$(OUT) /usr/bin/python3 tests/bench/bench.py

# coverage-guided fuzzing of the parsers (libFuzzer, with ASan and UBSan):
# `make fuzz FUZZ_SECONDS=600`; make test runs each target over its seed
# corpus once, a regression check
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
# coverage for libFuzzer in every object; its main() comes at the link
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(WARN) $(DEPFLAGS) $(INCLUDES) \
		-std=gnu11 -D_GNU_SOURCE
# linked by the C driver: no C++-only (vptr) checks
FUZZ_CXXFLAGS := $(filter-out -std=gnu11 -D_GNU_SOURCE,$(FUZZ_CFLAGS)) -std=c++17 -fno-sanitize=vptr
fuzz_obj = $(patsubst %.cpp,$(OUT)/fuzz/obj/%.o,$(patsubst %.c,$(OUT)/fuzz/obj/%.o,$(1)))
FUZZ_CORE_OBJS := $(call fuzz_obj,$(CORE_SRCS) $(CORE_CXX_SRCS)) $(OUT)/fuzz/obj/gen/report_page.o

$(OUT)/fuzz/obj/%.o: %.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(OUT)/fuzz/obj/gen/report_page.o: $(PAGE_SRC)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(OUT)/fuzz/obj/%.o: %.cpp
	$(call msg,FUZZCXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANGXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(OUT)/fuzz/%: $(OUT)/fuzz/obj/tests/fuzz/%.o $(FUZZ_CORE_OBJS) | $(OUT)/fuzz
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -fsanitize=fuzzer $(FUZZ_SAN) $^ $(JSON_LIBS) -o $@

.SECONDARY: $(FUZZ_CORE_OBJS) $(patsubst $(OUT)/fuzz/%,$(OUT)/fuzz/obj/tests/fuzz/%.o,$(FUZZ_BINS))

fuzz: $(FUZZ_BINS)
	$(Q)OUT=$(OUT) ./tests/fuzz/run.sh $(FUZZ_SECONDS)

# ten minutes of process churn: memory and open files must stay flat
soak:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(SUBMAKE) all
	$(Q)PROCLIFE_SOAK_SECONDS=600 /usr/bin/python3 -m pytest -p no:cacheprovider -q -s tests/e2e/test_soak.py

# make install [PREFIX=/usr/local] [DESTDIR=]: as a distribution's package
# lays it out. proclife goes to sbin: tracing needs root (replay and verify
# do not, and anyone may run them from there)
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/proclife
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR     ?= $(PREFIX)/lib/systemd/system
INSTALL     ?= install
# the files that name where the others are, filled in for this PREFIX
PLACED      := $(OUT)/dist/proclife.service $(OUT)/dist/proclife.8 $(OUT)/dist/proclife-workload.1
INSTALLED   := $(SBINDIR)/proclife $(BINDIR)/proclife-workload $(MANDIR)/man8/proclife.8 \
	       $(MANDIR)/man1/proclife-workload.1 $(BASHCOMPDIR)/proclife \
	       $(BASHCOMPDIR)/proclife-workload $(UNITDIR)/proclife.service \
	       $(DOCDIR)/README.md $(DOCDIR)/LICENSE $(DOCDIR)/CHANGELOG.md \
	       $(DOCDIR)/examples/logrotate $(DOCDIR)/examples/proclife-alerts.yml

$(OUT)/dist/proclife.service: dist/systemd/proclife.service.in
$(OUT)/dist/proclife.8: man/proclife.8.in
$(OUT)/dist/proclife-workload.1: man/proclife-workload.1.in
# remade every time: PREFIX may differ from the last install's
$(PLACED): FORCE
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@UNITDIR@|$(UNITDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' \
		-e 's|@VERSION@|$(VERSION)|g' $(filter-out FORCE,$^) > $@

install: all $(PLACED)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(DOCDIR)/examples
	$(Q)$(INSTALL) -m 0755 $(OUT)/proclife $(DESTDIR)$(SBINDIR)/proclife
	$(Q)$(INSTALL) -m 0755 $(OUT)/proclife-workload $(DESTDIR)$(BINDIR)/proclife-workload
	$(Q)$(INSTALL) -m 0644 $(OUT)/dist/proclife.8 $(DESTDIR)$(MANDIR)/man8/proclife.8
	$(Q)$(INSTALL) -m 0644 $(OUT)/dist/proclife-workload.1 $(DESTDIR)$(MANDIR)/man1/proclife-workload.1
	$(Q)$(INSTALL) -m 0644 dist/bash-completion/proclife $(DESTDIR)$(BASHCOMPDIR)/proclife
	$(Q)ln -sf proclife $(DESTDIR)$(BASHCOMPDIR)/proclife-workload
	$(Q)$(INSTALL) -m 0644 $(OUT)/dist/proclife.service $(DESTDIR)$(UNITDIR)/proclife.service
	$(Q)$(INSTALL) -m 0644 README.md LICENSE CHANGELOG.md $(DESTDIR)$(DOCDIR)
	$(Q)$(INSTALL) -m 0644 dist/logrotate/proclife $(DESTDIR)$(DOCDIR)/examples/logrotate
	$(Q)$(INSTALL) -m 0644 dist/prometheus/proclife-alerts.yml $(DESTDIR)$(DOCDIR)/examples

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(Q)rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true

FORCE:

clean:
	$(call msg,CLEAN,$(OUT))
	$(Q)rm -rf $(OUT)

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)

endif
