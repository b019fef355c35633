#!/usr/bin/env bash
# Start newsreader on this machine: migrate, make a local staff user on first run,
# then two Celery workers in the background (fetching, with the sweeper's beat: threads, many
# at once; analysis: one process per core, so a slow site never holds a CPU slot) and the
# web server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$BIN/python manage.py migrate --noinput
# The first run's staff password is printed last, where it is not lost among migrations.
FIRST_RUN_ADMIN=$($BIN/python manage.py ensure_local_admin)

LOGS=${NEWSREADER_VAR_DIR:-var}
mkdir -p "$LOGS"
$BIN/celery -A newsreader worker --beat --loglevel=INFO --queues=fetch --pool=threads \
  --concurrency="${FETCH_CONCURRENCY:-16}" --hostname=fetch@%h >"$LOGS/worker-fetch.log" 2>&1 &
FETCHER=$!
$BIN/celery -A newsreader worker --loglevel=INFO --queues=analysis \
  --concurrency="${ANALYSIS_CONCURRENCY:-$(nproc)}" --hostname=analysis@%h \
  >"$LOGS/worker-analysis.log" 2>&1 &
ANALYSER=$!
trap 'kill $FETCHER $ANALYSER 2>/dev/null; wait $FETCHER $ANALYSER 2>/dev/null' EXIT INT TERM

echo
echo "newsreader is starting at http://$HOST:$PORT/  (worker logs: $LOGS/worker-*.log)"
echo "Import the demo corpus of 120 articles any time with: make demo"
echo
if [ -n "$FIRST_RUN_ADMIN" ]; then
  echo "$FIRST_RUN_ADMIN"
  echo
fi
if [ "${DEBUG:-0}" = "1" ]; then
  $BIN/python manage.py runserver "$HOST:$PORT"
else
  $BIN/python manage.py collectstatic --noinput >/dev/null
  $BIN/gunicorn newsreader.wsgi --bind "$HOST:$PORT" --workers 2
fi
