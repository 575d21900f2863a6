"""Which way the app runs, decided once from the environment (docs/adr/0007).

``DJANGO_ENV=production`` fails closed: it refuses to start unless every service is named, so a
deploy that loses a variable stops with a message instead of falling back to the embedded default
(SQLite, a self-generated key, security off). Without ``DJANGO_ENV`` (or with ``embedded``) the
embedded default of DESIGN.md applies and each variable switches its own piece."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

EMBEDDED = "embedded"
PRODUCTION = "production"
MODES = (EMBEDDED, PRODUCTION)

# Every variable production needs, and what it is for (the message names the missing ones).
REQUIRED = {
    "SECRET_KEY": "a long random string (at least 50 characters)",
    "DATABASE_URL": "the PostgreSQL database, e.g. postgres://user:password@host:5432/reviews",
    "REDIS_URL": "the Redis used as Celery broker and cache, e.g. redis://host:6379/0",
    "EMAIL_URL": "the mail relay, e.g. smtp+tls://user:password@relay:587",
    "ALLOWED_HOSTS": "the host names the site answers to, comma-separated",
    "SITE_URL": "the address people use, for links in e-mails, e.g. https://reviews.example.org",
}
MIN_SECRET_KEY_LENGTH = 50
FALSE = {"0", "false", "no", "off", ""}


def mode(environ: Mapping[str, str]) -> str:
    value = environ.get("DJANGO_ENV", EMBEDDED).strip().lower() or EMBEDDED
    if value not in MODES:
        # A typo ("prod") must not quietly give the embedded default.
        raise ImproperlyConfigured(
            f"DJANGO_ENV must be 'production' or 'embedded' (the default), not {value!r}."
        )
    return value


def check_production(environ: Mapping[str, str]) -> None:
    """Raise ImproperlyConfigured naming every missing or unsafe variable; return when all is set."""
    missing = [name for name in REQUIRED if not environ.get(name, "").strip()]
    if missing:
        lines = "\n".join(f"  {name}: {REQUIRED[name]}" for name in missing)
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production refuses to start without {', '.join(missing)}. Set:\n{lines}"
        )
    problems = []
    if len(environ["SECRET_KEY"].strip()) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    if environ["DATABASE_URL"].strip().lower().startswith("sqlite"):
        problems.append("DATABASE_URL names SQLite; production runs on PostgreSQL")
    if environ.get("DEBUG", "").strip().lower() not in FALSE:
        problems.append("DEBUG is on; production never shows debug pages")
    if environ.get("DJANGO_SECURE", "true").strip().lower() in FALSE - {""}:
        problems.append("DJANGO_SECURE is off; production always sets secure cookies and HSTS")
    email = environ["EMAIL_URL"].strip().lower()
    if not email.startswith("smtp"):
        problems.append("EMAIL_URL must name an SMTP relay (smtp://, smtps://, smtp+tls://, smtp+ssl://)")
    if problems:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses to start: " + "; ".join(problems) + ".")
