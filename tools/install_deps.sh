#!/usr/bin/env bash
# Installs the Debian packages Tessel needs to build, test and document itself.
# Installs only what is missing; uses sudo when not run as root.
set -euo pipefail

packages=(cmake ninja-build g++ git libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev
          doxygen graphviz)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install_deps: every package is already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install_deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
