#!/usr/bin/env bash
# Load bench: gunicorn on PostgreSQL on loopback, 50 connections for 60 s with wrk, then the same run while
# bench/publisher.py publishes, edits and withdraws content. Not a test; figures go in the notes.
#   bench/run.sh            (Redis page cache when Redis answers on 127.0.0.1:6379, else local memory)
#   PAGE_CACHE_SECONDS=0 bench/run.sh   (the same without the page cache)
#   BENCH_DB=glossa_100k BENCH_ARTICLES=0 BENCH_ROUTES=1 PUBLISH_EVERY=5 bench/run.sh   (an archive made by synth_archive,
#                                        an editor publishing or withdrawing every 5 s)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DB=${BENCH_DB:-glossa_bench_production}
PORT=${BENCH_PORT:-18907}
DURATION=${BENCH_SECONDS:-60}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
BASE="http://127.0.0.1:$PORT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DEBUG=0 SECRET_KEY="bench-only-$(head -c 24 /dev/urandom | base64)" ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on loopback: the security settings that need TLS are turned off by name.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export STATIC_ROOT=var/bench-static CACHE_DIR=var/bench-cache GUNICORN_BIND="127.0.0.1:$PORT"
export GUNICORN_ACCESSLOG=var/bench-access.log LOG_LEVEL=WARNING
if [ -z "${REDIS_URL+set}" ] && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  export REDIS_URL=redis://127.0.0.1:6379/3 CACHE_KEY_PREFIX=glossa-bench
fi
mkdir -p var
if curl -s -o /dev/null "$BASE/"; then echo "port $PORT is taken; set BENCH_PORT"; exit 1; fi

psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$DB"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py load_demo >/dev/null
SYNTH=$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT count(*) FROM articles_article WHERE slug LIKE 'synth-%'")
if [ "$SYNTH" -lt "${BENCH_ARTICLES:-300}" ]; then
  "$PY" manage.py synth_archive --articles $(( ${BENCH_ARTICLES:-300} - SYNTH )) --paragraphs 12 --annotations 4
fi

"$PY" -m gunicorn --config config/gunicorn.conf.py --daemon --pid var/bench-gunicorn.pid
trap 'kill "$(cat var/bench-gunicorn.pid)" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 1; done
curl -fs "$BASE/healthz"; echo

if [ -n "${BENCH_ROUTES:-}" ]; then
  # A large archive: the URLs bench/routes.py samples across it, every route weighing the same.
  ALLOWED_HOSTS=testserver "$PY" bench/routes.py --per-route 8 --urls-only bench/urls.txt
else
  "$PY" bench/urls.py "$BASE"
fi
echo "== ${DURATION}s, $CONNECTIONS connections, page cache ${PAGE_CACHE_SECONDS:-600}s, cache $([ -n "${REDIS_URL:-}" ] && echo Redis || echo local memory)"
URLS=bench/urls.txt wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/load.lua "$BASE" | grep RESULT

echo "== the same while an editor publishes, edits and withdraws (every ${PUBLISH_EVERY:-0.3} s)"
"$PY" bench/publisher.py "$BASE" "$DURATION" &
PUBLISHER=$!
URLS=bench/urls.txt wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/load.lua "$BASE" | grep RESULT
wait "$PUBLISHER"
