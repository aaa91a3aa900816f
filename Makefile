# Backup Inspector — build, run and test.
#   make run    build dist/backup-inspector.html and serve it on 127.0.0.1
#   make test   vet, unit tests (native and js/wasm), browser end-to-end tests
#   make dist   build the single-file page and the CLI
#   make bench  benchmarks (ratios against baselines run in the same process)
#   make fuzz   run every fuzz target for FUZZTIME each
SHELL := /bin/bash
GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/backupinspector/backupinspector/parsers/report.Version=$(VERSION)
WASM_EXEC := $(GOROOT)/lib/wasm/wasm_exec.js
SAMPLE ?= samples/small/miui.zip
PORT ?= 8765
FUZZTIME ?= 30s
WASMPATH := PATH="$(GOROOT)/lib/wasm:$$PATH"

.PHONY: all dist run test test-go test-wasm test-e2e vet bench fuzz samples stress clean tools-browser tools-npm

all: dist

dist: dist/backup-inspector.html dist/backup-inspector

build/app.wasm: FORCE
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="$(LDFLAGS)" -o build/app.wasm ./wasm

dist/backup-inspector.html: build/app.wasm FORCE
	$(GO) run ./web/bundle -src web/src -wasm build/app.wasm -wasmexec "$(WASM_EXEC)" -sample "$(SAMPLE)" -out $@
	@ls -l build/app.wasm $@ | awk '{print $$5, $$9}'

dist/backup-inspector: FORCE
	@mkdir -p dist
	$(GO) build -trimpath -ldflags="$(LDFLAGS)" -o $@ ./cmd/backup-inspector

run: dist
	@echo "Serving http://127.0.0.1:$(PORT)/backup-inspector.html (or open dist/backup-inspector.html directly: it works from file://)"
	cd dist && python3 -m http.server $(PORT) --bind 127.0.0.1

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm ./parsers/...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

test-go:
	$(GO) test ./...

test-wasm:
	$(WASMPATH) GOOS=js GOARCH=wasm $(GO) test ./parsers/...

tools-browser:
	@command -v chromium >/dev/null || { echo "installing Debian chromium"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

tools-npm:
	@cd web && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund; }

test-e2e: dist tools-browser tools-npm
	cd web && node --test --test-concurrency=1 e2e/

test: vet test-go test-wasm test-e2e

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./parsers/...

fuzz:
	@for pkg in $$($(GO) list ./parsers/...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

samples:
	$(GO) run ./samples/cmd/gen -kind small -out samples/small

clean:
	rm -rf build dist web/test-results

FORCE:
