#!/usr/bin/env bash
# Regenerates the committed samples from the vega-datasets npm package (see README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund vega-datasets@3.2.1 --prefix "$tmp"
dotnet run "$here/derive-sample.cs" -- "$tmp/node_modules/vega-datasets/data/flights-3m.parquet" "$here"
