#!/usr/bin/env bash
# HTTP benchmark of `tandem serve` on SQLite (issue 4): wrk on loopback, 64 connections, a
# signed-in participant's GET of their own data (/api/v1/me) and a PUT that updates it
# (their profile), then nginx serving a static JSON file of the same size, in the same run.
# Usage: bench/run_http_bench.sh [build-dir] [seconds]   (after scripts/build.sh release)
# Writes bench/results/http.txt; docs/operations.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
seconds=${2:-15}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk nginx curl)" >&2; exit 1; }
done
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as www-data
server=""
nginx_pid=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
out=bench/results/http.txt
: >"$out"
say() { echo "$*" | tee -a "$out"; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db="sqlite:$work/bench.db"
"$build/tandem" generate --people 200 --seed 1 --out "$work/people.csv"
"$build/tandem" import "$work/people.csv" --db "$db" >/dev/null 2>&1
port=$(free_port)
link=$(TANDEM_PUBLIC_URL="http://127.0.0.1:$port" "$build/tandem" admin create bench@example.com --db "$db" 2>/dev/null)
"$build/tandem" serve --listen "127.0.0.1:$port" --db "$db" 2>"$work/serve.log" >/dev/null &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
response=$(curl -fs -D "$work/headers" -H 'Content-Type: application/json' \
  -d "{\"token\":\"${link#*#link=}\"}" "http://127.0.0.1:$port/api/v1/sign-in-links/redeem")
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
csrf=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$response")
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/me" >"$work/me.json"

say "# bench/run_http_bench.sh $build $seconds  ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)); wrk -t2 -c64 -d${seconds}s on loopback"
summary() {  # wrk output -> "N req/s, p50 X, p99 Y, errors E"
  /usr/bin/python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket = re.search(r"Socket errors: (.*)", text)
print(f"{float(rps):.0f} req/s, p50 {lat.get('50')}, p99 {lat.get('99')}, "
      f"non-2xx {errors.group(1) if errors else 0}" + (f", socket errors: {socket.group(1)}" if socket else ""))
PY
}
wrk -t2 -c64 -d"${seconds}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/me" >"$work/get.txt"
say "GET /api/v1/me (signed-in participant's own data): $(summary "$work/get.txt")"
cat >"$work/put.lua" <<LUA
wrk.method = "PUT"
wrk.body = '{"display_name":"Benchmark"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.headers["If-Match"] = "*"
LUA
wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/put.lua" "http://127.0.0.1:$port/api/v1/me" >"$work/put.txt"
say "PUT /api/v1/me (profile update, one transaction each): $(summary "$work/put.txt")"

# nginx, same machine, same run: a static file as large as the GET's body.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
cp "$work/me.json" "$work/nginx/html/me.json"
nport=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nport;
    root $work/nginx/html;
    default_type application/json;
  }
}
CONF
mkdir -p "$work/nginx/tmp"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nport/me.json" >/dev/null && break; sleep 0.1; done
wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$nport/me.json" >"$work/nginx.txt"
say "nginx, static me.json ($(stat -c %s "$work/me.json") bytes): $(summary "$work/nginx.txt")"
/usr/bin/python3 - "$work/get.txt" "$work/nginx.txt" <<'PY' | tee -a "$out"
import re, sys
r = [float(re.search(r"Requests/sec:\s+([\d.]+)", open(p).read()).group(1)) for p in sys.argv[1:3]]
print(f"ratio GET /api/v1/me : nginx static = {r[0] / r[1]:.2f}")
PY
