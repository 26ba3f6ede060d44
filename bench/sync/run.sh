#!/usr/bin/env bash
# Runs the sync benchmark at 3 members x 300 objects and 10 x 200 (or at the size given: members objects [runs]),
# then the idle benchmark (10 members, 20 bundles, 1,000 objects per member, 2 minutes) unless a size was given.
set -euo pipefail
cd "$(dirname "$0")"
../../scripts/install-kube-binaries.sh >/dev/null
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly -clp:NoSummary
dll=bin/Release/net10.0/Flotilla.Bench.Sync.dll
dotnet "$dll" --members "${1:-3}" --objects "${2:-300}" --runs "${3:-5}"
[ $# -gt 0 ] || { dotnet "$dll" --members 10 --objects 200; dotnet "$dll" --idle; }
