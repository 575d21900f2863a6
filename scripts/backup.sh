#!/usr/bin/env bash
# Back up the application's state into one tarball: the PostgreSQL database (pg_dump custom format)
# and the files directory (uploads and generated PDFs such as rapid review packs).
#
#   DATABASE_URL=postgres://… MEDIA_DIR=/var/lib/reviews/media scripts/backup.sh [backup.tar.gz]
#
# MEDIA_DIR defaults to $VAR_DIR/media (VAR_DIR defaults to var/ beside this script), as in
# config/settings.py. Redis holds only queued tasks and the cache: it is not backed up (a task lost
# with it is queued again: docs/adr/0007). Restore with scripts/restore.sh. The database is dumped
# first, then the files are copied; a pack generated in between is in the files but not the dump
# (harmless), a pack replaced in between is missing (generate it again after a restore).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
media=${MEDIA_DIR:-${VAR_DIR:-$here/var}/media}
out=${1:-backup-$(date -u +%Y%m%dT%H%M%SZ).tar.gz}
case "$DATABASE_URL" in
  postgres://*|postgresql://*|pgsql://*) ;;
  *) echo "backup.sh: DATABASE_URL must name a PostgreSQL database (SQLite: copy var/ while the app is stopped)" >&2; exit 2 ;;
esac
libpq_url="postgresql://${DATABASE_URL#*://}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$work/database.dump" "$libpq_url"
mkdir "$work/files"
if [ -d "$media" ]; then
  cp -a "$media/." "$work/files/"
fi
{
  echo "created_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "pg_dump=$(pg_dump --version)"
  echo "database_sha256=$(sha256sum "$work/database.dump" | cut -d' ' -f1)"
  echo "files=$(find "$work/files" -type f | wc -l)"
} > "$work/MANIFEST"
tar -czf "$out" -C "$work" MANIFEST database.dump files
echo "backup.sh: wrote $out ($(du -h "$out" | cut -f1); $(grep '^files=' "$work/MANIFEST" | cut -d= -f2) files)"
