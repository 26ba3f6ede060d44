#!/usr/bin/env bash
# Runs the matrix endpoint benchmark (in memory, no API servers) at 1,000 clusters x 100 bundles, or at the size
# given: clusters bundles [requests]; then the matrix page's first render in chromium at the same size.
set -euo pipefail
cd "$(dirname "$0")"
../../scripts/install-deps.sh >/dev/null
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dll=bin/Release/net10.0/Flotilla.Bench.Matrix.dll
dotnet "$dll" --clusters "${1:-1000}" --bundles "${2:-100}" --requests "${3:-200}"
dotnet "$dll" --render --clusters "${1:-1000}" --bundles "${2:-100}"
