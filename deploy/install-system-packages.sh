#!/usr/bin/env bash
# Installs the packages of deploy/system-packages.txt that are missing (`make system-deps`): with apt-get as root,
# through sudo otherwise; where neither can work it stops at once and prints the command to run.
set -euo pipefail
packages=$(sed -e 's/#.*//' "$(dirname "$0")/system-packages.txt" | xargs)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; the tests that need these are skipped (install their equivalents): $packages" >&2
  exit 0
fi
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

echo "system-deps: installing$missing"
install=(apt-get install -y -qq --no-install-recommends $missing)
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
else
  echo "system-deps: the tests need these Debian packages:$missing" >&2
  echo "Install them, then run make test again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
