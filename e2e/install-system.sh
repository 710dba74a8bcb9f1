#!/bin/sh
# What `make e2e` needs from Debian: Chromium (driven by playwright-core), unshare and ip (the
# loopback-only network namespace), Node.js and npm (the Playground). Installs only what is missing.
set -e
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v unshare >/dev/null 2>&1 || missing="$missing util-linux"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "installing with apt-get:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "make e2e needs these Debian packages:$missing (run as root, or install them first)" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
