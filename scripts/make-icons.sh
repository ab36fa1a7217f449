#!/usr/bin/env bash
# Renders resources/icon.svg into the icons electron-builder.yml names: a PNG set for Linux (resources/icons/NxN.png),
# resources/icon.icns for macOS and resources/icon.ico for Windows. The results are committed; run this again after
# changing the SVG. Needs rsvg-convert, png2icns and icotool (Debian: apt-get install librsvg2-bin icnsutils icoutils).
set -euo pipefail
cd "$(dirname "$0")/../resources"
for tool in rsvg-convert png2icns icotool; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install librsvg2-bin icnsutils icoutils" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p icons
for size in 16 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" --format png --output "$work/$size.png" icon.svg
done
for size in 16 32 48 64 128 256 512; do cp "$work/$size.png" "icons/${size}x${size}.png"; done
png2icns icon.icns "$work/16.png" "$work/32.png" "$work/48.png" "$work/128.png" "$work/256.png" "$work/512.png" "$work/1024.png" >/dev/null
icotool --create --output icon.ico "$work/16.png" "$work/32.png" "$work/48.png" "$work/64.png" "$work/128.png" --raw="$work/256.png"
echo "icons written: resources/icons/*.png, resources/icon.icns, resources/icon.ico"
