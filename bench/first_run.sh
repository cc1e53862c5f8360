#!/bin/bash
# Time a first `make run` from a fresh clone until the demo answers (issue 16: ≤ 3 minutes on
# an idle 2-core machine). Prints when pip and migrate finish, when the site answers 200, the
# load average before and after, and the demo loader's step lines.
# Usage: bench/first_run.sh [REPO]   (PORT=8765 by default; PIP_NO_CACHE_DIR=1 for a cold pip)
repo=${1:-$(git rev-parse --show-toplevel)}
PORT=${PORT:-8765}
unset DOORSTEP_VAR_DIR PYTHONPATH DATABASE_URL VIRTUAL_ENV
d=$(mktemp -d) && git clone -q "$repo" "$d" && cd "$d" || exit 1
echo "fresh clone in $d"; uptime
start=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) - $start" | bc; }
make run PORT="$PORT" > make.log 2>&1 &
make_pid=$!
pip_done="" migrate_done=""
while true; do
  [ -z "$pip_done" ] && [ -f .venv/.installed ] && pip_done=$(elapsed) && echo "pip done: $pip_done s"
  [ -z "$migrate_done" ] && grep -q "正在载入演示数据" make.log &&
    migrate_done=$(elapsed) && echo "migrate done: $migrate_done s"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 200 ]; then
    echo "served (HTTP 200): $(elapsed) s"; break
  fi
  kill -0 $make_pid 2>/dev/null || { echo "make exited early:"; tail -20 make.log; break; }
  sleep 1
done
uptime
grep -E "^\[|全部完成" make.log | grep "完成"
# Stop what this run started: processes working in the clone (make, runserver, tick).
for p in /proc/[0-9]*; do
  [ "$(readlink "$p/cwd" 2>/dev/null)" = "$d" ] && kill "${p#/proc/}" 2>/dev/null
done
echo "log: $d/make.log"
