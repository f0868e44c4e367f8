#!/usr/bin/env bash
# Refreshes the vendored uPlot (MIT) in Static/ from npm: ./refresh-uplot.sh [version]
# The UI serves these files itself (embedded in Keel.Server), so nothing is fetched at run time.
set -euo pipefail
version="${1:-1.6.32}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "uplot@$version" --silent >/dev/null && tar xzf "uplot-$version.tgz")
cp "$work/package/dist/uPlot.iife.min.js" "$work/package/dist/uPlot.min.css" "$here/Static/"
cp "$work/package/LICENSE" "$here/Static/uPlot.LICENSE"
sed -i "s/^uPlot .*/uPlot $version (npm \`uplot\`, MIT, see uPlot.LICENSE)/" "$here/Static/VENDORED.md"
echo "uPlot $version vendored into $here/Static"
