#!/usr/bin/env bash
# Development server with the background worker and scheduler, for `make run`.
# The worker runs in the background and is stopped with the server (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
CELERY="$(dirname "$PY")/celery"

"$CELERY" -A lyushunkou worker --beat --loglevel INFO --concurrency 2 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "旅顺口区放心消费 portal: http://$HOST:$PORT/  (Ctrl-C stops the server and the worker)"
echo "Demo logins are in ${DATA_DIR:-.var}/demo-logins.txt (printed above)."
echo
"$PY" manage.py runserver "$HOST:$PORT"
