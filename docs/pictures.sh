#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Makes the README's pictures from a real trace: docs/html-report.png,
# docs/perfetto-preview.png and docs/process-tree.png. Run as root from
# anywhere after `make`, with chromium and graphviz installed.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
w=build/proclife-workload

build/proclife trace -f jsonl -o "$tmp/run.jsonl" -- sh -c \
	"$w fork-wait; $w zombie; $w orphan; $w subreaper; $w double-fork; $w zombie-never-reaped"
build/proclife replay "$tmp/run.jsonl" -f html -o "$tmp/report.html"
build/proclife replay "$tmp/run.jsonl" -f perfetto -o "$tmp/run.json"
build/proclife replay "$tmp/run.jsonl" -f dot -o "$tmp/run.dot"

# the preview page with the trace in it; '<' escaped so no name can end its script
python3 - "$tmp/run.json" docs/perfetto-preview.html "$tmp/preview.html" <<'PY'
import json, sys
trace = json.dumps(json.load(open(sys.argv[1]))).replace("<", "\\u003c")
page = open(sys.argv[2]).read().replace("@@TRACE@@", trace)
open(sys.argv[3], "w").write(page)
PY

shot() {
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$tmp/chromium" --virtual-time-budget=5000 \
		--window-size="$1" --screenshot="$2" "file://$3" 2>/dev/null
}
shot 1400,900 docs/html-report.png "$tmp/report.html"
shot 1400,700 docs/perfetto-preview.png "$tmp/preview.html"
dot -Tpng -Gdpi=80 "$tmp/run.dot" -o docs/process-tree.png
