#!/usr/bin/env bash
# Restore a tarball written by scripts/backup.sh into an EMPTY database and an empty files directory.
#
#   DATABASE_URL=postgres://…/reviews_restored MEDIA_DIR=/var/lib/reviews/media scripts/restore.sh backup.tar.gz
#
# Create the database first (createdb, or your provider's console). The script refuses a database
# that already has tables and a files directory that already has files, so it can never mix two
# states. It checks the dump against the manifest's checksum, restores in one transaction (all or
# nothing: the audit tables' append-only triggers are created after their rows are loaded), then
# copies the files. Afterwards run `manage.py migrate` (a no-op for a backup of the same release).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
backup=${1:?usage: restore.sh BACKUP.tar.gz}
: "${DATABASE_URL:?set DATABASE_URL to the empty PostgreSQL database to restore into}"
media=${MEDIA_DIR:-${VAR_DIR:-$here/var}/media}
case "$DATABASE_URL" in
  postgres://*|postgresql://*|pgsql://*) ;;
  *) echo "restore.sh: DATABASE_URL must name a PostgreSQL database" >&2; exit 2 ;;
esac
libpq_url="postgresql://${DATABASE_URL#*://}"

tables=$(psql "$libpq_url" -XAtqc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database already has $tables tables; restore only into an empty database" >&2
  exit 1
fi
if [ -d "$media" ] && [ -n "$(find "$media" -mindepth 1 -print -quit)" ]; then
  echo "restore.sh: $media already holds files; restore only into an empty directory" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$backup" -C "$work"
want=$(grep '^database_sha256=' "$work/MANIFEST" | cut -d= -f2)
have=$(sha256sum "$work/database.dump" | cut -d' ' -f1)
if [ "$want" != "$have" ]; then
  echo "restore.sh: database.dump does not match the manifest's checksum; the backup is damaged" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$libpq_url" "$work/database.dump"
mkdir -p "$media"
cp -a "$work/files/." "$media/"
echo "restore.sh: restored the database and $(find "$work/files" -type f | wc -l) files into $media"
