#!/usr/bin/env bash
# Runs the multi-cluster services planning benchmark (pure, no API servers): 50 members x 2,000 exported services,
# or the size given: members services [exporters-per-service] [runs].
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dotnet bin/Release/net10.0/Flotilla.Bench.Mcs.dll "${1:-50}" "${2:-2000}" "${3:-3}" "${4:-7}"
