#!/usr/bin/env bash
# Runs the Dockerfile's steps as a script (there is no Docker engine here): publishes the server as
# the build stage does, starts the published app with the image's environment against Azurite, and
# checks the gRPC health service answers SERVING; then does the same for the console's image
# (Console.Dockerfile): publishes it, starts it against that server, and fetches its sign-in page and
# MudBlazor's stylesheet. Exit 0 when both serve.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/common.sh

ensure_node_tools
start_azurite
make_dev_key
app=$(mktemp -d)
trap 'kill "${console_pid:-}" 2>/dev/null || true; kill "${server_pid:-}" 2>/dev/null || true; [ -n "$AZURITE_PID" ] && kill "$AZURITE_PID" 2>/dev/null || true; rm -rf "$app" "${console_app:-}"' EXIT

echo "==> RUN dotnet publish src/Personalization.Server -c Release -o /app"
dotnet publish src/Personalization.Server -c Release -o "$app" -nologo -v quiet

port=5099
echo "==> ENTRYPOINT dotnet Personalization.Server.dll (ENV as in the image, port $port)"
(cd "$app" && DOTNET_ENVIRONMENT=Production Server__ListenAddress=0.0.0.0 Server__Port=$port \
  Cluster__ClusterId=container-check Cluster__SiloPort=11199 Cluster__GatewayPort=30099 dotnet Personalization.Server.dll --contentRoot "$app") > .data/container-check.log 2>&1 &
server_pid=$!

dotnet build src/Personalization.Cli -c Release -nologo -v quiet
if dotnet src/Personalization.Cli/bin/Release/net10.0/personalize.dll health --endpoint "http://127.0.0.1:$port" --wait 120; then
  echo "==> The published image contents start and serve: OK"
else
  echo "The published server did not become healthy; see .data/container-check.log" >&2
  exit 1
fi

console_app=$(mktemp -d)
echo "==> RUN dotnet publish src/Personalization.Console -c Release -o /app (Console.Dockerfile)"
dotnet publish src/Personalization.Console -c Release -o "$console_app" -nologo -v quiet
console_port=5098
echo "==> ENTRYPOINT dotnet Personalization.Console.dll (ENV as in the image, port $console_port)"
(cd "$console_app" && DOTNET_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$console_port" \
  Console__ServerAddress="http://127.0.0.1:$port" dotnet Personalization.Console.dll) > .data/container-check-console.log 2>&1 &
console_pid=$!
for _ in $(seq 1 150); do port_open "$console_port" && break; sleep 0.2; done
if curl -fsS "http://127.0.0.1:$console_port/signin" | grep -q 'API key' \
  && curl -fsS -o /dev/null "http://127.0.0.1:$console_port/_content/MudBlazor/MudBlazor.min.css"; then
  echo "==> The published console starts and serves its sign-in page and stylesheets: OK"
else
  echo "The published console did not serve; see .data/container-check-console.log" >&2
  exit 1
fi
