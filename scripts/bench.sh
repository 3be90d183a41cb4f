#!/usr/bin/env bash
# bench.sh loads a real Kudos deployment on this machine and reports what it
# sustains: it builds kudos, cmd/loadgen and cmd/floor, starts a private redis-server
# on a unix socket and two `kudos serve` processes over it, each on its own
# free loopback port (both KUDOS_DRY_RUN=1):
#
#   web:    KUDOS_ROLE=web, receives the webhooks (the process under load)
#   worker: KUDOS_ROLE=worker, takes suggestions off the Redis queue and
#           logs the replies it would post
#
# then runs the load generator four times against the web process:
#
#   open loop:   1000 deliveries/s for 20 s (latency from the scheduled
#                time), plain comments, then /thanks comments
#   closed loop: 32 concurrent senders, 40000 deliveries, plain comments,
#                then /thanks comments
#
# each delivery the real 16 KB issue_comment example, each run waiting for
# the queue to drain and checked for exactly-once acceptance in Redis. The
# web process's CPU per delivery and peak RSS are reported as "server", the
# worker's apart as "worker". Last, cmd/floor — the same HTTP stack doing
# only the first steps of kudos's work — takes the closed loop of plain
# comments at each level of -work: none (read and answer), verify (and the
# signature), extract (and the event), record (and one SET NX of the
# delivery id in Redis); none and record also take the open loop. They
# are the floors under the web process's figures: what the stack and each
# step cost, and the least a server that records what it acknowledges
# costs on this machine.
# Everything it starts is stopped and its temp dir removed on exit. `make
# bench` runs the Go benchmarks first and then this script.
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

echo "== building kudos, loadgen and floor"
"$GO" build -o "$tmp/kudos" ./cmd/kudos
"$GO" build -o "$tmp/loadgen" ./cmd/loadgen
"$GO" build -o "$tmp/floor" ./cmd/floor

sock=$tmp/redis.sock
redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --dir "$tmp" \
	--save "" --appendonly no --daemonize no --loglevel warning >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "bench.sh: redis-server did not start:" >&2; cat "$tmp/redis.log" >&2; exit 1; }

# free_port prints a free loopback port (nothing answers a connection to
# it) other than the ports given.
free_port() {
	local p _
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		case " $* " in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	echo "bench.sh: found no free port" >&2
	return 1
}
web_port=$(free_port)
worker_port=$(free_port "$web_port")
web_url=http://127.0.0.1:$web_port
worker_url=http://127.0.0.1:$worker_port
secret=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

# start_kudos ROLE PORT starts `kudos serve` in that role, logging to
# $tmp/ROLE.log, and adds its pid to pids. Only the settings below: nothing from
# the caller's environment (an App id, a retention, a real Redis) reaches
# the server.
start_kudos() {
	env -i PATH="$PATH" HOME="${HOME:-$tmp}" \
		KUDOS_DRY_RUN=1 KUDOS_ROLE="$1" GITHUB_WEBHOOK_SECRET="$secret" \
		REDIS_URL="unix://$sock" KUDOS_ADDR="127.0.0.1:$2" \
		"$tmp/kudos" serve 2>"$tmp/$1.log" &
	pids+=($!)
}

# wait_ready NAME PID URL waits for the process's /readyz; its log is
# $tmp/NAME.log.
wait_ready() {
	local _
	for _ in $(seq 150); do
		curl -fsS -o /dev/null "$3/readyz" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.2
	done
	echo "bench.sh: $1 did not become ready on $3; its log:" >&2
	tail -n 30 "$tmp/$1.log" >&2
	return 1
}

start_kudos web "$web_port"
web=${pids[-1]}
start_kudos worker "$worker_port"
worker=${pids[-1]}
wait_ready web "$web" "$web_url"
wait_ready worker "$worker" "$worker_url"

echo "== kudos serve: web on $web_url, worker on $worker_url"
echo "== redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on $sock, $(nproc) CPUs, $("$GO" env GOVERSION)"
status=0
export GITHUB_WEBHOOK_SECRET=$secret # loadgen's -secret, kept off the command line

# load HEADER LOADGEN-FLAGS... runs one load against the web process.
load() {
	local header=$1
	shift
	echo
	echo "== $header"
	"$tmp/loadgen" -url "$web_url" -worker-url "$worker_url" -redis-url "unix://$sock" "$@" || status=1
}
load "open loop: 1000 deliveries/s for 20 s, plain comments" -rate 1000 -duration 20s -thanks=false
load "open loop: 1000 deliveries/s for 20 s, /thanks comments" -rate 1000 -duration 20s
load "closed loop: 32 senders, 40000 deliveries, plain comments" -concurrency 32 -n 40000 -thanks=false
load "closed loop: 32 senders, 40000 deliveries, /thanks comments" -concurrency 32 -n 40000

# The floor: the same HTTP stack doing no more of a delivery than each
# level of -work asks (none, verify, extract, record: see cmd/floor), to
# tell each step's share of the web process's CPU and the least a server
# that records what it acknowledges costs here.
floor_port=$(free_port "$web_port" "$worker_port")
floor_load() {
	local work=$1 what=$2 log=$tmp/floor-$1.log
	shift 2
	env -i PATH="$PATH" GITHUB_WEBHOOK_SECRET="$secret" REDIS_URL="unix://$sock" \
		"$tmp/floor" -addr "127.0.0.1:$floor_port" -work "$work" 2>"$log" &
	local floor=$!
	pids+=("$floor")
	if wait_ready "floor-$work" "$floor" "http://127.0.0.1:$floor_port"; then
		echo
		echo "== floor -work $work: $what"
		"$tmp/loadgen" -url "http://127.0.0.1:$floor_port" -thanks=false "$@" || status=1
	else
		status=1
	fi
	# A floor stops cleanly on SIGTERM; anything else is a failure.
	kill "$floor" 2>/dev/null || true
	if ! wait "$floor"; then
		echo "bench.sh: floor -work $work did not stop cleanly; its log:" >&2
		tail -n 30 "$log" >&2
		status=1
	fi
	unset 'pids[-1]' # reaped: cleanup must not signal its pid again
}
floor_load none "open loop: 1000 deliveries/s for 20 s" -rate 1000 -duration 20s
floor_load record "open loop: 1000 deliveries/s for 20 s" -rate 1000 -duration 20s -redis-url "unix://$sock"
for work in none verify extract; do
	floor_load "$work" "closed loop: 32 senders, 40000 deliveries" -concurrency 32 -n 40000
done
floor_load record "closed loop: 32 senders, 40000 deliveries" -concurrency 32 -n 40000 -redis-url "unix://$sock"

echo
for role in web worker; do
	if [ "$role" = web ]; then pid=$web; else pid=$worker; fi
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "bench.sh: kudos serve ($role) exited during the run; its log:" >&2
		tail -n 30 "$tmp/$role.log" >&2
		status=1
	fi
	errors=$(grep -c '"level":"ERROR"' "$tmp/$role.log" || true)
	echo "kudos serve ($role) logged $errors errors"
	[ "$errors" = 0 ] || { grep '"level":"ERROR"' "$tmp/$role.log" | head -n 5; status=1; }
done
exit "$status"
