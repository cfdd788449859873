#!/usr/bin/env bash
# Builds the firmware, uploads what changed to the NodeMCU board and restarts it, then shows its
# serial console. See `./flash.sh --help`; the work is done by `mcu flash`. It runs in the
# caller's folder, so a relative --config or --out means what the caller typed.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
# The CLI bundle is rebuilt when missing or older than its sources (e.g. after a git pull).
if [ ! -f "$root/dist/mcu.js" ] || [ -n "$(cd "$root" && find tools host firmware/src package.json -newer dist/mcu.js -print -quit)" ]; then
  (cd "$root" && node tools/cli/bundle.mjs >&2)
fi
exec node "$root/dist/mcu.js" flash "$@"
