#!/bin/sh
# One-shot of docker-compose.yml (service metabase-init): first-run setup of Metabase (admin user, no tracking) and
# the warehouse as a Metabase database, connected as the read-only PostgreSQL role `analyst`.
# Idempotent: on a Metabase that is already set up it logs in and adds the database only when it is missing.
# Values come from the environment (see docker-compose.yml); they must not contain double quotes or backslashes.
set -eu
MB=${MB_URL:-http://metabase:3000}
: "${MB_ADMIN_EMAIL:?}" "${MB_ADMIN_PASSWORD:?}" "${WAREHOUSE_HOST:?}" "${WAREHOUSE_DB:?}" "${ANALYST_PASSWORD:?}"
WAREHOUSE_PORT=${WAREHOUSE_PORT:-5432}
WAREHOUSE_NAME=${WAREHOUSE_NAME:-ecom warehouse}

# the value of "key" in a flat JSON answer (string or bare value); enough for Metabase's id and token fields
json_value() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }

token=$(curl -sS --fail "$MB/api/session/properties" | json_value setup-token)
if [ -n "$token" ] && [ "$token" != "null" ]; then
  echo "metabase-init: first run, creating the admin user $MB_ADMIN_EMAIL"
  session=$(curl -sS --fail-with-body -X POST "$MB/api/setup" -H 'Content-Type: application/json' -d "{
    \"token\": \"$token\",
    \"user\": {\"email\": \"$MB_ADMIN_EMAIL\", \"password\": \"$MB_ADMIN_PASSWORD\",
               \"first_name\": \"ecom\", \"last_name\": \"admin\", \"site_name\": \"ecom-pipeline\"},
    \"prefs\": {\"site_name\": \"ecom-pipeline\", \"allow_tracking\": false}
  }" | json_value id)
else
  session=$(curl -sS --fail-with-body -X POST "$MB/api/session" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$MB_ADMIN_EMAIL\", \"password\": \"$MB_ADMIN_PASSWORD\"}" | json_value id)
fi
[ -n "$session" ] || { echo "metabase-init: no session" >&2; exit 1; }

if curl -sS --fail -H "X-Metabase-Session: $session" "$MB/api/database" | grep -q "\"name\":\"$WAREHOUSE_NAME\""; then
  echo "metabase-init: database '$WAREHOUSE_NAME' already there"
  exit 0
fi
# Metabase tests the connection before it saves it: this fails while the analyst role does not exist.
curl -sS --fail-with-body -X POST "$MB/api/database" -H 'Content-Type: application/json' \
  -H "X-Metabase-Session: $session" -d "{
  \"engine\": \"postgres\", \"name\": \"$WAREHOUSE_NAME\", \"is_full_sync\": true,
  \"details\": {\"host\": \"$WAREHOUSE_HOST\", \"port\": $WAREHOUSE_PORT, \"dbname\": \"$WAREHOUSE_DB\",
                \"user\": \"analyst\", \"password\": \"$ANALYST_PASSWORD\", \"ssl\": false}
}" >/dev/null
echo "metabase-init: database '$WAREHOUSE_NAME' added (user analyst)"
