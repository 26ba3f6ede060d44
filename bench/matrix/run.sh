#!/usr/bin/env bash
# Runs the matrix endpoint benchmark (in memory, no API servers) at 1,000 clusters x 100 bundles,
# or at the size given: clusters bundles [requests].
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dotnet bin/Release/net10.0/Flotilla.Bench.Matrix.dll --clusters "${1:-1000}" --bundles "${2:-100}" --requests "${3:-200}"
