#!/usr/bin/env bash
# Install the system packages leaflet needs when they are missing: the Debian
# packages named in leaflet/system.toml (the one list; `leaflet doctor` checks
# the same one): the libraries WeasyPrint loads (HarfBuzz subset included),
# fontconfig and the Noto fonts of every shipped script, poppler-utils (tests
# and proofs read PDFs) and gettext (tests run msgfmt -c).
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
mapfile -t packages < <("$python" -c '
import tomllib
with open("leaflet/system.toml", "rb") as f:
    declared = tomllib.load(f)
items = [item for kind in ("library", "command", "data", "fonts") for item in declared.get(kind, [])]
print("\n".join(dict.fromkeys(item["debian"] for item in items)))
')
((${#packages[@]})) || { echo "leaflet/system.toml lists no packages" >&2; exit 1; }

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == *"ok installed"* ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "leaflet needs these system packages: ${missing[*]}" >&2
  echo "install them with: sudo sh -c '$command'" >&2
  exit 1
fi
echo "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
