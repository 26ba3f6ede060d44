#!/usr/bin/env bash
# Renders the real nginx chart (tests/testdata/charts) for 200 clusters sharing 4 distinct value sets, the way the hub
# does (once per distinct input), beside a baseline of one render per cluster; or at the size given: clusters sets [runs].
set -euo pipefail
cd "$(dirname "$0")"
../../scripts/install-tools.sh >/dev/null
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dotnet bin/Release/net10.0/Flotilla.Bench.Charts.dll --clusters "${1:-200}" --sets "${2:-4}" --runs "${3:-3}" --charts ../../tests/testdata/charts
