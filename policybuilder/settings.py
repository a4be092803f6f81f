"""One settings file, configured by environment variables (see the table in README.md).

With no variables set this is the *embedded default*: SQLite in the data folder and a Redis server of
our own on a unix socket in the data folder (started by `make run`, see policybuilder/embedded_redis.py),
so a fresh machine needs nothing else. DATABASE_URL and REDIS_URL switch to PostgreSQL and another Redis.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from . import embedded_redis

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Off unless asked for: a deploy that forgets the variable never shows a traceback.
DEBUG = env_bool("DJANGO_DEBUG", False)
# The demo school "Voorbeeldschool De Regenboog" (`manage.py seed_demo`, run by `make run`): on for a local
# checkout, off in docker-compose.yml and wherever DJANGO_DEMO=0. Independent of DEBUG.
DEMO_SCHOOL = env_bool("DJANGO_DEMO", True)


def _secret_key():
    """DJANGO_SECRET_KEY, or a key generated once and kept in the data folder."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process wrote it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
ALLOWED_HOSTS = ALLOWED_HOSTS or LOOPBACK_HOSTS
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The headers first, so that every answer carries them, also the 400 that comes before the session is read.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An unreadable request (undecodable body, NUL byte, a URL too long) gets our 400 before anything reads the
    # body (CSRF's process_view) or looks its session cookie up (UserLanguageMiddleware).
    "agreements.middleware.ReadableRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agreements.middleware.UnchangedPollMiddleware",  # 204 for an unchanged meeting poll: no session, no query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # before UserLanguageMiddleware: it wraps request.user
    "agreements.middleware.UserLanguageMiddleware",
    "agreements.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agreements.middleware.ErrorPagesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env_bool("SERVER_TIMING", False):  # `make bench` measures server time and queries per request
    MIDDLEWARE.insert(0, "agreements.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "policybuilder.urls"
WSGI_APPLICATION = "policybuilder.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("SQLITE_PATH") or DATA_DIR / "db.sqlite3"),
            # Without these, concurrent writes (100 votes at once) fail with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory: the Celery worker in the integration tests reads the same database.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ---------------------------------------------------------
# REDIS_URL (redis://, rediss:// or unix://), or the embedded Redis on DATA_DIR/redis.sock that `make run` starts.
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED_REDIS = not REDIS_URL
if EMBEDDED_REDIS:
    REDIS_URL = embedded_redis.url_for_socket(embedded_redis.socket_path(DATA_DIR))
# A Redis that is down answers within a second instead of hanging a request (rate limits then let it pass).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}

CELERY_BROKER_URL = embedded_redis.broker_url(REDIS_URL)
# Longer than the hard time limit of a render: a message is handed out again only when its worker is gone.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for a restarting Redis instead of exiting
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A new pool child loads Django and WeasyPrint before it reports "up" (about 1 s; 5+ s on a busy machine):
# with Celery's default of 4 s the pool killed every replacement child in turn and rendered nothing for 25 s.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SYNC_EVERY = 1  # beat writes the file after each task it sends: its health check reads the file's age
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "agreements.tasks.heartbeat", "schedule": 20.0},
}
# Besides the beat task above (which proves broker -> worker -> database), the worker's main process writes
# its heartbeat every WORKER_HEARTBEAT_SECONDS; it counts as up while one was seen within three of those.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS") or 10)
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=3 * WORKER_HEARTBEAT_SECONDS)

AUTH_USER_MODEL = "agreements.User"

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "agreements.forms.passwords.SimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
EMAIL_CHANGE_MAX_AGE = 2 * 24 * 60 * 60  # a link that confirms a new e-mail address works two days
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------------------
# Dutch is the default and the source language: msgids are the Dutch text, locale/en/ has the English.
# LocaleMiddleware picks the language from the cookie, then Accept-Language; a signed-in user's own choice
# (User.language) wins over both (agreements.middleware.UserLanguageMiddleware). Names in their own language.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: downloads go through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail: written to files in the data folder unless SMTP is configured ------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    MAIL_CONFIGURED = True
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
    MAIL_CONFIGURED = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AI-beleidsbouwer <noreply@localhost>")
# The site's own address, for links in mails sent without a request (the review reminders from beat).
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "agreements.views.errors.csrf_failure"
# Django's admin: off unless DJANGO_ADMIN_PATH names a path of its own (e.g. "beheer-k3x9/"); nothing needs it.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "").strip().strip("/")
ADMIN_PATH = f"{ADMIN_PATH}/" if ADMIN_PATH else ""

# Reverse proxies in front of the site (DJANGO_PROXY_COUNT, default 0). Only with one do we believe
# X-Forwarded-Proto (is this HTTPS?) and X-Forwarded-For (the client's address for rate limits and axes, taken
# that many entries from the right, the part our own proxies wrote). Without one, any client could claim both.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS (secure cookies, redirect from http, HSTS): on when the site answers to a real host name, off when it
# only answers on this machine (the loopback default of `make run`, which serves plain http on 127.0.0.1).
# DJANGO_HTTPS=1/0 decides explicitly.
SERVED_ON_LOOPBACK_ONLY = set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS)
HTTPS = env_bool("DJANGO_HTTPS", not SERVED_ON_LOOPBACK_ONLY)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
elif SERVED_ON_LOOPBACK_ONLY:
    # Nobody else can reach a site that answers only on 127.0.0.1/localhost: there is no TLS to require, and
    # `check --deploy` stays clean for a newcomer's `make run` with DEBUG off. A real host name turns these on.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

# Strict CSP: only our own host; no inline scripts or styles anywhere.
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
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Rate limiting of logins (django-axes) --------------------------------------------------
# Two-factor authentication (django-otp): our own limit counts wrong codes like the login (5 per 15 minutes),
# so django-otp's growing delays are off; the app's name is what authenticator apps show.
OTP_TOTP_ISSUER = "AI-beleidsbouwer"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the combination of account and address: a school behind one address is never locked out
# because one colleague mistyped, and nobody can lock a user out from elsewhere for long.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "agreements.ratelimit.client_ip"  # the same address the rate limits count
# Django's login form passes the e-mail address to authenticate() as "username"; axes would look for "email"
# (USERNAME_FIELD), find nothing and count every failure against the address alone.
AXES_USERNAME_FORM_FIELD = "username"

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

def _without_traceback(record):
    """A request refused for what the client sent (too big, too many fields, a Host we do not serve) is answered
    with our 400 page and logged in one line: its traceback only points into Django's request parsing."""
    record.exc_info, record.exc_text = None, None
    return True


CLIENT_ERRORS = ["RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent", "DisallowedHost",
                 "DisallowedRedirect", "SuspiciousMultipartForm"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": lambda: _without_traceback}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        **{f"django.security.{name}": {"filters": ["without_traceback"]} for name in CLIENT_ERRORS},
    },
}

# --- The policy PDF (documents feature) -----------------------------------------------------
# A render holds a lease on its row and renews it every fifth of PDF_LEASE_SECONDS while WeasyPrint works;
# only a row whose lease has expired (its renderer is dead) is taken over, by the sweep or a redelivered task.
PDF_LEASE_SECONDS = float(os.environ.get("PDF_LEASE_SECONDS") or 20)
PDF_SWEEP_SECONDS = float(os.environ.get("PDF_SWEEP_SECONDS") or 10)
# A queued row whose message went out this long ago while a worker is up is sent again (the message was lost).
PDF_RESEND_AFTER = float(os.environ.get("PDF_RESEND_AFTER") or 60)
# A hung render: an exception at the soft limit, the child killed at the hard one; either way failed-with-retry.
# Far above the slowest render measured (a 500-agreement policy, ~50 s).
PDF_SOFT_TIME_LIMIT = int(os.environ.get("PDF_SOFT_TIME_LIMIT") or 300)  # 0: none, only the hard limit
PDF_TIME_LIMIT = int(os.environ.get("PDF_TIME_LIMIT") or PDF_SOFT_TIME_LIMIT + 30)
PDF_SOFT_TIME_LIMIT = min(PDF_SOFT_TIME_LIMIT, PDF_TIME_LIMIT)  # Celery refuses to send a task otherwise
PDF_MAX_ATTEMPTS = 3  # after this many starts the sweep marks the document failed instead
# The status fragment says the PDF-maker is not running when a render waited this long and no worker is up.
PDF_WAIT_NOTICE_SECONDS = float(os.environ.get("PDF_WAIT_NOTICE_SECONDS") or 30)
CELERY_BEAT_SCHEDULE["sweep-stuck-documents"] = {
    "task": "agreements.tasks.sweep_stuck_documents",
    "schedule": PDF_SWEEP_SECONDS,
}
# The review reminders (60, 30, 7 days before the review date and on the day): hourly, each sent once.
CELERY_BEAT_SCHEDULE["review-reminders"] = {
    "task": "agreements.tasks.send_review_reminders",
    "schedule": float(os.environ.get("REVIEW_REMINDER_SECONDS") or 3600),
}
# The AI-tool register's re-assessment reminders (14 days before the date): hourly, each sent once per date.
CELERY_BEAT_SCHEDULE["reassessment-reminders"] = {
    "task": "agreements.tasks.send_reassessment_reminders",
    "schedule": float(os.environ.get("REASSESSMENT_REMINDER_SECONDS") or 3600),
}
# The verify page accepts a PDF upload of at most 20 MB; anything larger is refused before parsing.
VERIFY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
VERIFY_RATE_LIMIT = (10, 60)  # uploads per address per 60 s
VERIFY_UNKNOWN_CODE_RATE_LIMIT = (30, 60)  # look-ups of unknown codes per address per 60 s
# Phones: look-ups of unknown join codes per address per 60 s (then every code answers 429 until the window ends),
# and joins of one anonymous meeting per address per 12 h (a whole staff room behind one school NAT address, even
# a large secondary school's, stays far below; one phone that drops its cookie and joins again hits it).
JOIN_CODE_UNKNOWN_RATE_LIMIT = (20, 60)
MEETING_JOINS_PER_ADDRESS = (150, 12 * 60 * 60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads stream to a temporary file, not to memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- Retention (AVG): how long personal data is kept; agreements/privacy.py lists each kind, the privacy page
# shows these numbers, and beat applies them (agreements/retention.py) every RETENTION_RUN_SECONDS.
RETENTION_MEETING_PARTICIPANT_DAYS = int(os.environ.get("RETENTION_MEETING_PARTICIPANT_DAYS") or 30)
RETENTION_INVITATION_DAYS = int(os.environ.get("RETENTION_INVITATION_DAYS") or 30)
RETENTION_MAIL_FILE_DAYS = int(os.environ.get("RETENTION_MAIL_FILE_DAYS") or 30)
RETENTION_ACCESS_LOG_DAYS = int(os.environ.get("RETENTION_ACCESS_LOG_DAYS") or 90)
SCHOOL_DELETION_GRACE_DAYS = int(os.environ.get("SCHOOL_DELETION_GRACE_DAYS") or 14)
RETENTION_SESSION_DAYS = int(os.environ.get("RETENTION_SESSION_DAYS") or 14)
SESSION_COOKIE_AGE = RETENTION_SESSION_DAYS * 24 * 60 * 60
RETENTION_RUN_SECONDS = float(os.environ.get("RETENTION_RUN_SECONDS") or 3600)
for _kind in ("meeting_participants", "invitations", "mail_files", "access_logs", "deleted_schools", "sessions"):
    CELERY_BEAT_SCHEDULE[f"retention-{_kind}"] = {
        "task": "agreements.tasks.apply_retention", "schedule": RETENTION_RUN_SECONDS, "args": (_kind,),
    }
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # its progress messages flood the worker log
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}  # WeasyPrint decompresses the woff2 fonts with it
LOGGING["loggers"]["pikepdf"] = {"level": "WARNING"}  # it says "logger bridge initialized" in every process
