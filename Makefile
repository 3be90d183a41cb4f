# Kudos — make test installs what the tests need (redis-server) when it is
# missing and it can, then runs every test with the race detector.
GO ?= go

.PHONY: test redis-server build demo fmt vet

test: redis-server
	$(GO) test -race -count=1 ./...

# The tests start their own private redis-server; install it when missing.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing redis-server (the tests start private instances of it)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "redis-server is missing: install it (e.g. sudo apt-get install redis-server)" >&2; exit 1; \
	  fi; }
	@# The package starts a system-wide server on install; the tests never use it.

build:
	$(GO) build -o bin/kudos ./cmd/kudos

demo:
	$(GO) run ./cmd/kudos demo

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

# bench runs the stage and handler benchmarks, then scripts/bench.sh: a real
# `kudos serve` (dry run, private redis-server) loaded by cmd/loadgen in an
# open and a closed loop, each checked for exactly-once acceptance, then
# cmd/floor at each level of its work under the same loads.
.PHONY: bench
bench: redis-server
	$(GO) test -run '^$$' -bench . -benchmem ./...
	GO=$(GO) bash scripts/bench.sh
