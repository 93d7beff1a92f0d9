#!/usr/bin/env bash
# Install what leaflet needs from Debian when it is missing: Pango (WeasyPrint),
# fontconfig and the Noto fonts for every script, poppler-utils (tests read
# PDFs with pdftotext/pdffonts/pdftoppm) and gettext (tests run msgfmt -c).
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-core fonts-noto-cjk poppler-utils gettext)
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
