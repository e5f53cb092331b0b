#!/usr/bin/env bash
# README command 1: runs Personalization on this machine. Installs Azurite, starts it, builds and
# starts the server (one silo, localhost clustering) and the web console beside it, waits until both
# are healthy, and prints the endpoint, the console's URL and a call to paste. Ctrl+C stops everything it started.
# Settings can be overridden with environment variables, e.g. Server__Port=6000.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/common.sh

ensure_node_tools
start_azurite
make_dev_key

server_pid=""
console_pid=""
stopped=""
stop() {
  # Once: a second SIGTERM would cut the silos' graceful shutdown short.
  [ -n "$stopped" ] && return
  stopped=1
  if [ -n "${console_pid:-}" ]; then kill "$console_pid" 2>/dev/null && wait "$console_pid" 2>/dev/null || true; fi
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  [ -n "$AZURITE_PID" ] && kill "$AZURITE_PID" 2>/dev/null || true
}
trap stop EXIT INT TERM

echo "==> Building (Release)"
dotnet build src/Personalization.Server -c Release -nologo -v quiet
dotnet build src/Personalization.Cli -c Release -nologo -v quiet
dotnet build src/Personalization.Console -c Release -nologo -v quiet

bin=src/Personalization.Server/bin/Release/net10.0
port="${Server__Port:-5080}"
endpoint="http://127.0.0.1:${port}"
if [ -n "${Server__TlsCertificatePath:-}" ]; then endpoint="https://127.0.0.1:${port}"; fi

echo "==> Starting the server"
dotnet "$bin/Personalization.Server.dll" --contentRoot "$PWD/$bin" &
server_pid=$!


if ! dotnet src/Personalization.Cli/bin/Release/net10.0/personalize.dll health --endpoint "$endpoint" --wait 120 >/dev/null; then
  echo "The server did not become healthy at $endpoint" >&2
  exit 1
fi

console_bin=src/Personalization.Console/bin/Release/net10.0
console_port="${CONSOLE_PORT:-5090}"
console_url="http://127.0.0.1:${console_port}"
echo "==> Starting the console"
(cd "$console_bin" && exec dotnet Personalization.Console.dll --urls "$console_url" --Console:ServerAddress "$endpoint") > .data/console.log 2>&1 &
console_pid=$!
for _ in $(seq 1 150); do
  port_open "$console_port" && break
  kill -0 "$console_pid" 2>/dev/null || { cat .data/console.log >&2; echo "The console failed to start" >&2; exit 1; }
  sleep 0.2
done

cat <<BANNER

  Personalization is running.
    gRPC endpoint   $endpoint   (HTTP/2; reflection and grpc.health.v1 enabled)
    Web console     $console_url   (sign in with an API key; log in .data/console.log)
    Azure Storage   Azurite on 127.0.0.1:10000-10002, data in .data/azurite (grain state, membership, reminders, queues)

  Development API key (role admin; a new one each run — see README: Security):
    export PERSONALIZATION_API_KEY=${PERSONALIZATION_API_KEY:-<your key>}

  Try it (paste in another terminal, from this folder):
    export PERSONALIZATION_API_KEY=${PERSONALIZATION_API_KEY:-<your key>}
    dotnet run --project src/Personalization.Cli -c Release -- ping --grain-key demo --endpoint $endpoint
    dotnet run --project src/Personalization.Cli -c Release -- services --endpoint $endpoint

  Press Ctrl+C to stop.

BANNER
wait "$server_pid"
