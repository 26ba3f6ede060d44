#!/usr/bin/env bash
# Runs the planning benchmark (pure planning, no API servers) at 5,000 clusters x 200 bundles,
# or at the size given: clusters bundles [runs].
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dotnet bin/Release/net10.0/Flotilla.Bench.Plan.dll --clusters "${1:-5000}" --bundles "${2:-200}" --runs "${3:-7}"
