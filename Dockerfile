# Production image: the same code base as `make run`, configured by environment variables.
# DJANGO_ENV=production fails closed: without SECRET_KEY, DATABASE_URL, REDIS_URL, EMAIL_URL and
# ALLOWED_HOSTS nothing starts (ops/environment.py). One image runs web, worker, beat and migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/reviews MEDIA_DIR=/var/lib/reviews/media
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fontconfig fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app reviews \
 && mkdir -p /var/lib/reviews/media && chown -R reviews /var/lib/reviews

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --no-deps -r requirements.lock
COPY --chown=reviews . .
# collectstatic needs settings but no services: an explicit embedded mode with throwaway values, and
# DATABASE_URL set so the hashed, compressed static storage of production is used.
RUN DJANGO_ENV=embedded VAR_DIR=/tmp/build-var SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 && rm -rf /tmp/build-var /tmp/build.sqlite3

ENV DJANGO_ENV=production
USER reviews
EXPOSE 8000
# The files (packs, documents) live in MEDIA_DIR: mount the same volume in web and worker.
VOLUME ["/var/lib/reviews/media"]
CMD ["gunicorn", "--config", "ops/gunicorn_conf.py", "config.wsgi"]
