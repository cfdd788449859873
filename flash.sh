#!/usr/bin/env bash
# Builds the firmware, uploads what changed to the NodeMCU board and restarts it, then shows its
# serial console. See `./flash.sh --help`; the work is done by `mcu flash`.
set -euo pipefail
cd "$(dirname "$0")"
# The CLI bundle is rebuilt when missing or older than its sources (e.g. after a git pull).
if [ ! -f dist/mcu.js ] || [ -n "$(find tools host firmware/src package.json -newer dist/mcu.js -print -quit)" ]; then
  node tools/bundle.mjs >&2
fi
exec node dist/mcu.js flash "$@"
