#!/usr/bin/env bash
# bench.sh loads a real `kudos serve` on this machine and reports what it
# sustains: it builds kudos and cmd/loadgen, starts a private redis-server
# on a unix socket and `kudos serve` (KUDOS_DRY_RUN=1, role all) on a free
# loopback port, then runs the load generator twice against it:
#
#   open loop:   1000 deliveries/s for 20 s (latency from the scheduled time)
#   closed loop: 32 concurrent senders, 40000 deliveries
#
# each delivery the real 16 KB issue_comment example carrying a /thanks, and
# each run checked for exactly-once acceptance in Redis. Everything it
# starts is stopped and its temp dir removed on exit. `make bench` runs the
# Go benchmarks first and then this script.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}

# Unix socket paths are limited to ~100 bytes: keep the directory short.
tmp=$(mktemp -d /tmp/kudos-bench-XXXXXX)
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v redis-server >/dev/null || { echo "bench.sh: redis-server is missing (make redis-server installs it)" >&2; exit 1; }

echo "== building kudos and loadgen"
"$GO" build -o "$tmp/kudos" ./cmd/kudos
"$GO" build -o "$tmp/loadgen" ./cmd/loadgen

sock=$tmp/redis.sock
redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --dir "$tmp" \
	--save "" --appendonly no --daemonize no --loglevel warning >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "bench.sh: redis-server did not start:" >&2; cat "$tmp/redis.log" >&2; exit 1; }

# A free loopback port: nothing answers a connection to it.
port=
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "bench.sh: found no free port" >&2; exit 1; }
url=http://127.0.0.1:$port
secret=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

# Only the settings below: nothing from the caller's environment (an App
# id, a retention, a real Redis) reaches the server.
env -i PATH="$PATH" HOME="${HOME:-$tmp}" \
	KUDOS_DRY_RUN=1 KUDOS_ROLE=all GITHUB_WEBHOOK_SECRET="$secret" \
	REDIS_URL="unix://$sock" KUDOS_ADDR="127.0.0.1:$port" \
	"$tmp/kudos" serve 2>"$tmp/kudos.log" &
kudos=$!
pids+=("$kudos")
for _ in $(seq 150); do
	curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break
	kill -0 "$kudos" 2>/dev/null || break
	sleep 0.2
done
if ! curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; then
	echo "bench.sh: kudos serve did not become ready on $url; its log:" >&2
	tail -n 30 "$tmp/kudos.log" >&2
	exit 1
fi

echo "== kudos serve on $url, redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on $sock, $(nproc) CPUs, $("$GO" env GOVERSION)"
status=0
export GITHUB_WEBHOOK_SECRET=$secret # loadgen's -secret, kept off the command line
echo
echo "== open loop: 1000 deliveries/s for 20 s"
"$tmp/loadgen" -url "$url" -rate 1000 -duration 20s -redis-url "unix://$sock" || status=1
echo
echo "== closed loop: 32 senders, 40000 deliveries"
"$tmp/loadgen" -url "$url" -concurrency 32 -n 40000 -redis-url "unix://$sock" || status=1

echo
if ! kill -0 "$kudos" 2>/dev/null; then
	echo "bench.sh: kudos serve exited during the run; its log:" >&2
	tail -n 30 "$tmp/kudos.log" >&2
	status=1
fi
errors=$(grep -c '"level":"ERROR"' "$tmp/kudos.log" || true)
echo "kudos serve logged $errors errors"
[ "$errors" = 0 ] || { grep '"level":"ERROR"' "$tmp/kudos.log" | head -n 5; status=1; }
exit "$status"
