# Shared by run.sh and test.sh: install what this machine lacks, and start Azurite.
# Sourced, not run; expects to be in the repository root.

# Installs the pinned npm tools (Azurite) unless node_modules already matches package-lock.json.
ensure_node_tools() {
  local stamp=node_modules/.personalization-lock
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -x node_modules/.bin/azurite ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  echo "==> Installing Azurite (pinned in package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# Installs Debian's Chromium (the console's browser tests drive it through Playwright; Playwright's
# own browser download is not used) unless it is already there.
ensure_chromium() {
  if [ -x "${PERSONALIZATION_CHROMIUM:-/usr/bin/chromium}" ]; then
    return
  fi
  echo "==> Installing Chromium (apt) for the console's browser tests"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# True when something listens on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts Azurite on its default loopback ports with data under .data/azurite, unless one already runs.
# Sets AZURITE_PID when it started one.
start_azurite() {
  AZURITE_PID=""
  if port_open 10000; then
    echo "==> Azurite already listening on 127.0.0.1:10000; using it"
    return
  fi
  mkdir -p .data/azurite
  echo "==> Starting Azurite (blob 10000, queue 10001, table 10002; data in .data/azurite)"
  node_modules/.bin/azurite --silent --location .data/azurite --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .data/azurite.log 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do
    port_open 10000 && port_open 10001 && port_open 10002 && return
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat .data/azurite.log >&2; echo "Azurite failed to start" >&2; exit 1; }
    sleep 0.2
  done
  echo "Azurite did not start listening within 20 s (see .data/azurite.log)" >&2
  exit 1
}

# A fresh development API key (role admin) for the servers this script starts, unless the caller
# configured keys: exports its hash as Auth__Keys__local__* and the key as PERSONALIZATION_API_KEY
# (which the personalize CLI reads).
make_dev_key() {
  if env | grep -q '^Auth__Keys__'; then
    return
  fi
  PERSONALIZATION_API_KEY="dev-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export PERSONALIZATION_API_KEY
  export Auth__Keys__local__Sha256
  Auth__Keys__local__Sha256=$(printf '%s' "$PERSONALIZATION_API_KEY" | sha256sum | cut -d' ' -f1)
  export Auth__Keys__local__Roles__0=admin
}
