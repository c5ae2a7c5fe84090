#!/bin/sh
# One-shot of docker-compose.yml (service kibana-init): imports the hourly-metrics dashboard into Kibana.
# The saved objects have fixed ids and are imported with overwrite=true, so running it again replaces them.
# Kibana answers HTTP 200 even when objects fail to import: the exit status comes from "success" in the answer.
set -eu
KIBANA_URL=${KIBANA_URL:-http://kibana:5601}
answer=$(curl -sS --fail-with-body -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' --form file=@/import/hourly-metrics-dashboard.ndjson)
echo "$answer"
case "$answer" in
  *'"success":true'*) echo "kibana-init: dashboard imported" ;;
  *) echo "kibana-init: import failed" >&2; exit 1 ;;
esac
