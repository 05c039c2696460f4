#!/usr/bin/env bash
# Installs the Debian 12 packages preshard needs to build, test and benchmark.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config clang-format clang libclang-rt-14-dev
  libboost1.81-dev libhiredis-dev libyaml-cpp-dev libspdlog-dev libssl-dev catch2
  nlohmann-json3-dev libarchive-dev
  redis-server redis-sentinel redis-tools nutcracker
  python3 python3-redis python3-pytest python3-yaml python3-rq python3-celery procps iproute2 openssl
  prometheus prometheus-redis-exporter chromium chromium-driver python3-selenium valgrind
  debootstrap podman runc docker-compose
)

# Node.js and npm for the client-library tests (tests/clients): the machine's own if it has one
# (it may come from another repository, with npm bundled), else Debian's.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a system redis-server on 6379 when it can; preshard never uses it.
