#!/usr/bin/env bash
# Runs a cluster of N silos (default 3) on this machine: Azurite, then N servers with membership and
# reminders in Azurite's Table storage (the same account as their grain state), each with its own
# silo, gateway and gRPC ports (5080, 5081, …). Any silo's gRPC port serves any customer. Ctrl+C stops everything.
#   deploy/local/cluster.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/common.sh

silos="${1:-3}"
cluster_id="${Cluster__ClusterId:-local-$(date +%s)}"

ensure_node_tools
start_azurite
make_dev_key

pids=()
# Silos first (they leave the membership table and write their state), then Azurite.
stopped=""
stop() {
  # Once: a second SIGTERM would cut the silos' graceful shutdown short.
  [ -n "$stopped" ] && return
  stopped=1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$AZURITE_PID" ] && kill "$AZURITE_PID" 2>/dev/null || true
}
trap stop EXIT INT TERM

echo "==> Building (Release)"
dotnet build src/Personalization.Server -c Release -nologo -v quiet
dotnet build src/Personalization.Cli -c Release -nologo -v quiet
bin=src/Personalization.Server/bin/Release/net10.0

for i in $(seq 0 $((silos - 1))); do
  echo "==> Starting silo $i (gRPC 127.0.0.1:$((5080 + i)))"
  Cluster__Mode=AzureStorage Cluster__ClusterId="$cluster_id" \
  Cluster__SiloPort=$((11111 + i)) Cluster__GatewayPort=$((30000 + i)) Server__Port=$((5080 + i)) \
    dotnet "$bin/Personalization.Server.dll" --contentRoot "$PWD/$bin" > ".data/silo-$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 0 $((silos - 1))); do
  if ! dotnet src/Personalization.Cli/bin/Release/net10.0/personalize.dll health --endpoint "http://127.0.0.1:$((5080 + i))" --wait 120 >/dev/null; then
    echo "Silo $i did not become healthy; see .data/silo-$i.log" >&2
    exit 1
  fi
done

cat <<BANNER

  A $silos-silo Personalization cluster is running (cluster id $cluster_id, membership in Azurite's Table storage).
    gRPC endpoints  http://127.0.0.1:5080 … http://127.0.0.1:$((5080 + silos - 1))
    logs            .data/silo-0.log … .data/silo-$((silos - 1)).log

  Development API key (role admin):  export PERSONALIZATION_API_KEY=${PERSONALIZATION_API_KEY:-<your key>}

  See which silo hosts a customer, through any of them:
    dotnet run --project src/Personalization.Cli -c Release -- ping --grain-key c-42 --endpoint http://127.0.0.1:5081

  Press Ctrl+C to stop.

BANNER
wait
