#!/bin/bash
# Runs once, when the PostgreSQL volume is first initialised (the official
# image's /docker-entrypoint-initdb.d): the application role and its login.
# The migrations (run by the owner, canopee) grant canopee_app its rights and
# keep audit_log append-only for it.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v api_password="$CANOPEE_API_PASSWORD" <<'SQL'
CREATE ROLE canopee_app NOLOGIN;
CREATE ROLE canopee_api LOGIN PASSWORD :'api_password' IN ROLE canopee_app;
SQL
