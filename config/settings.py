"""Settings from the environment.

Two ways to run (DESIGN.md; docs/adr/0001 and 0007):

* ``DJANGO_ENV=production`` fails closed: it refuses to start without ``SECRET_KEY``,
  ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``, ``ALLOWED_HOSTS`` and ``SITE_URL``
  (``ImproperlyConfigured`` naming each missing one, ops/environment.py), so a lost variable never
  falls back to the embedded default.
* Otherwise (no ``DJANGO_ENV``, or ``embedded``) the *embedded default*: SQLite under ``var/``, a
  private Redis on a Unix socket under ``var/`` as Celery broker (started by ``make run``), e-mail
  written to ``var/mail/``. ``DATABASE_URL``, ``REDIS_URL``/``CELERY_BROKER_URL``, ``EMAIL_URL`` and
  ``SECRET_KEY`` each switch their own piece (the tests use that).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF

from ops import embedded as embedded_broker
from ops import environment

# Lets Django's generic classes (ModelAdmin[Model], ModelForm[Model], QuerySet[Model]) be subscripted
# at run time, as the type hints write them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DJANGO_ENV = environment.mode(env.ENVIRON)
PRODUCTION = DJANGO_ENV == environment.PRODUCTION
if PRODUCTION:
    environment.check_production(env.ENVIRON)

VAR_DIR = embedded_broker.var_dir(BASE_DIR)
VAR_DIR.mkdir(parents=True, exist_ok=True)

EMBEDDED = not PRODUCTION and "DATABASE_URL" not in env
DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    if "SECRET_KEY" in env or PRODUCTION:
        return str(env.str("SECRET_KEY"))
    # Embedded default: a key generated once per installation, kept outside the repository.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Safeguarding practice reviews"
# Without SITE_URL, links in e-mails point at the address ``make run`` actually serves (BIND).
SITE_URL = env.str("SITE_URL", default=f"http://{env.str('BIND', default='127.0.0.1:8000')}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    # Ours, engines first.
    "audit",
    "partnerships",
    "core",  # the shared kernel, below the engines and the stages
    "deadlines",
    "signoffs",
    "documents",
    "privacy",
    "notifications",
    "cases",
    "rapidreview",
    "cspr",
    "publication",
    "learning",
    "actions",
    "reporting",
    "retention",
]

MIDDLEWARE = [
    # Answers /healthz and /readyz before host checks and the HTTPS redirect (probes come by IP).
    "ops.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.ApiListAccessMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partnerships.middleware.NoStoreMiddleware",
    "partnerships.middleware.SessionExpiryMiddleware",
    # After OTPMiddleware: a session that needs a second factor and has none reaches only sign-in pages.
    "partnerships.middleware.SecondFactorMiddleware",
    # Axes must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerships.context_processors.shell",
                "notifications.context_processors.unread",
            ],
            "builtins": ["partnerships.templatetags.govuk", "core.templatetags.answers"],
        },
    }
]
# Forms render with GOV.UK Frontend markup from templates/django/forms/ (see docs/adr/0002).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # Web, worker and beat share one file: wait rather than fail on a busy database.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
else:
    # The application connects as DATABASE_URL's role. With MIGRATE_DATABASE_URL set (the owner of
    # the tables), `migrate` and `setup_database_roles` connect as the owner instead, and every
    # migrate grants the application's role no more than SELECT and INSERT on the audit tables
    # (audit/database.py, docs/security.md).
    _as_owner = "MIGRATE_DATABASE_URL" in env and sys.argv[1:2] in (["migrate"], ["setup_database_roles"])
    DATABASES = {"default": env.db("MIGRATE_DATABASE_URL" if _as_owner else "DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="") or (
    env.db("DATABASE_URL")["USER"] if "MIGRATE_DATABASE_URL" in env and not EMBEDDED else ""
)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "partnerships.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Sessions: 30 minutes idle, refreshed by every request; the page warns 2 minutes before.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_WARNING_SECONDS = 2 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "partnerships.views.csrf_failure"

# Sign-in throttling (django-axes): 5 failures for one e-mail address *from one source address* lock
# that pair for 30 minutes, so someone elsewhere cannot lock a partner out before a deadline
# (docs/adr/0008-second-factor-at-sign-in.md). Against slow guessing from many addresses,
# partnerships/throttle.py adds a limit per e-mail address alone: after 20 failures in 24 hours from
# anywhere, only source addresses the account has signed in from before may keep trying.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
SIGN_IN_ADDRESS_WINDOW_HOURS = 24
# The source address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies (the TLS proxy of
# docs/deploy.md is one) the address the outermost of them saw, from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "partnerships.throttle.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "partnerships.views.lockout"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# Failures are kept (AccessFailureLog) for the per-address limit above; successes (AccessLog) tell
# which source addresses an account has signed in from.
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000

# The second factor at sign-in (partnerships/second_factor.py): a password sign-in is good for
# setting up an authenticator app for this long; after that the person signs in again.
SECOND_FACTOR_ENROL_WINDOW_SECONDS = 15 * 60
# Password reset e-mails: how many per e-mail address and per source address an hour. Beyond it
# the page says the same as always and nothing is sent (no account enumeration).
PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
PASSWORD_RESET_LIMIT_PER_SOURCE = 10
PASSWORD_RESET_TIMEOUT = 60 * 60  # the link works for an hour

# Demo data (load_demo) with published passwords and the demo one-time code: only on the embedded
# default unless DEMO_DATA is set; against any other database load_demo needs --allow-production.
DEMO_DATA = env.bool("DEMO_DATA", default=EMBEDDED)

# Production hardening: on unless the embedded default is running on plain http.
SECURE = PRODUCTION or env.bool("DJANGO_SECURE", default=not EMBEDDED and not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 63072000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
# Probes come by IP over plain HTTP from inside the network (ops/middleware.py answers them first).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles from this site's own files only; no inline
# script, no style attribute, no eval, nothing from elsewhere. Pages keep every script and style in
# static/ (tests/security/test_headers.py and the browser tests' console check hold them to it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features the service never uses, switched off for every page (config/middleware.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
# Uploaded and generated files (rapid review packs, documents). Web and worker must see the same
# folder: in docker-compose.yml a named volume mounted in both; beyond one machine a shared file
# system (docs/deploy.md). scripts/backup.sh copies it with the database.
MEDIA_DIR = Path(env.str("MEDIA_DIR", default=str(VAR_DIR / "media")))
# Uploads (documents app): largest file accepted, and an optional virus scanner — a dotted path to
# scan(data: bytes, name: str) that raises documents.services.UploadRefused (docs/security.md).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_SCANNER = env.str("UPLOAD_SCANNER", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_DIR},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if EMBEDDED
        else "config.storage.StaticStorage"
    },
}

# E-mail: files under var/mail/ unless EMAIL_URL names an SMTP server.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "notifications.file_mail.IdempotentFileBackend"  # one file per Message-ID
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@safeguarding-reviews.invalid")

# Celery. Embedded default: a private Redis on a Unix socket under var/ (ops/embedded.py, started by
# make run), not kombu's filesystem transport, whose reader can take a half-written message and die
# (docs/adr/0007). Tasks are acknowledged late; a task a dead worker held is handed out again after
# the visibility timeout (short in the embedded default so a killed worker's pack comes back within
# about a minute; in production longer than any task runs). Tasks are idempotent, so a repeat is safe.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or embedded_broker.broker_url(VAR_DIR))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900 if REDIS_URL else 60),
    # Look for abandoned messages every 5 seconds (kombu's default is every 100).
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A 400, not a 500, for absurdly nested JSON (config/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["config.parsers.SafeJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding practice reviews API",
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "cases.models.Referral.Status",
        "InformationRequestStatusEnum": "rapidreview.models.InformationRequest.Status",
        "ActionRagEnum": "actions.models.Action.Rag",
        "CaseKindEnum": "cases.models.CaseKind",
        "LegalHoldKindEnum": "privacy.models.LegalHold.Kind",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/schema/ for signed-in users only, as docs/permissions.md says (issue 16).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# No personal data in logs: request lines carry ids only (see docs/adr/0003); nothing logs bodies.
# Production writes one JSON object a line with e-mail addresses and quoted values masked
# (ops/logs.py); the worker and beat use this configuration too (config/celery.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None
