#!/usr/bin/env bash
# Runs the sync benchmark at the default size (3 members x 300 objects) and at 10 x 200.
set -euo pipefail
cd "$(dirname "$0")"
../../scripts/install-kube-binaries.sh >/dev/null
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dll=bin/Release/net10.0/Flotilla.Bench.Sync.dll
dotnet "$dll" --members "${1:-3}" --objects "${2:-300}"
[ $# -gt 0 ] || dotnet "$dll" --members 10 --objects 200
