"""Social Commons settings: one module, driven by environment variables.

With no variables set it runs embedded (SQLite in WAL mode, in-memory channel layer, local-memory
cache, e-mail to the console). ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to the
Redis pub/sub channel layer and a Redis cache. With ``DEBUG`` off it fails closed: no
``SECRET_KEY``, no start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable: 1/0, true/false, yes/no, on/off (any case, spaces ignored); unset or
    empty means ``default``. Anything else stops start-up: ``DEBUG=flase`` must not quietly
    leave debugging on (or a security setting off)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value. Use one of "
        f"{', '.join(TRUE_VALUES)} (on) or {', '.join(FALSE_VALUES)} (off), or leave {name} "
        f"unset for the default ({'on' if default else 'off'})."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

# The key of the commons' stable random rounding (DESIGN.md section 8, rule 1): a key of its own,
# never derived from SECRET_KEY, so rotating that key does not change any published number.
COMMONS_ROUNDING_KEY = os.environ.get("COMMONS_ROUNDING_KEY", "")
if not COMMONS_ROUNDING_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("COMMONS_ROUNDING_KEY must be set when DEBUG is off.")
    COMMONS_ROUNDING_KEY = "dev-only-commons-rounding-key"

# ``make run`` serves the demo as production does (DEBUG off, the site's own error pages, a
# secret kept out of git) but over plain HTTP on this machine: LOCAL_HTTP=1 leaves out only what
# needs HTTPS (redirects, secure cookies, HSTS). Never set it on a server others reach.
LOCAL_HTTP = env_bool("LOCAL_HTTP", False)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG or LOCAL_HTTP else [],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "taggit",
    "allauth",
    "allauth.account",
    "ninja",
    "django_tasks_db",
    "core",
    "people",
    "discussion",
    "ideas",
    "commons",
    "projects",
    "knowledge",
    "realtime",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/ every error is JSON, Django's and ninja's own included.
    "config.middleware.ApiErrorsAsJson",
    # Before anything reads input: a NUL in a query or form is a 400, a cookie with one ignored.
    "config.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in person unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "realtime.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg's pool, not persistent connections (docs/decisions.md): under Daphne every
        # request and every database_sync_to_async call may run in a thread of its own, and a
        # CONN_MAX_AGE connection stays with the thread that opened it. Django hands a
        # connection back to the pool where it would close it, so CONN_MAX_AGE must be 0.
        # DB_POOL_MAX is per process: processes × DB_POOL_MAX stays under max_connections.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            # How long a request waits for a free connection before failing (seconds).
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if not DATABASE_URL:
    # Covering indexes (INCLUDE) are for PostgreSQL; SQLite keeps just their key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache and channel layer -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down → cache misses, not 500s (see config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sc"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("CHANNEL_PREFIX", "sc"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
    }

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up says plainly when an address is already registered (issue 2 asks for the message
# beside the field). The trade-off — addresses can be probed — is limited by the signup rate
# limit below; see docs/decisions.md.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "people.adapters.user_display"
# The client's address, for allauth's per-address limits. Behind a load balancer every request
# comes from the balancer's address, so say how to find the client's (docs/decisions.md):
# TRUSTED_PROXY_COUNT=N takes the N-th address from the right of X-Forwarded-For (1: the one the
# balancer in front of us appended; anything a client wrote further left is ignored), or
# TRUSTED_CLIENT_IP_HEADER names a header the trusted proxy sets (e.g. X-Real-IP). Neither by
# default: X-Forwarded-For is then ignored, as anyone can forge it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "").strip() or None
ACCOUNT_RATE_LIMITS = {
    # allauth's, stated here so they are visible; they need a real cache (above).
    # Failed sign-ins lock the *account* (5 in 5 minutes; a password reset lifts it). Per address
    # only a generous cap against password spraying, checked after the account's limit, so that
    # hammering one account (locked already) does not use up the address of everyone behind it.
    "login_failed": "5/5m/key,60/m/ip",
    "login": "60/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Social Commons] "
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Social Commons <noreply@localhost>")

# E-mail: to the console in development; a folder of .eml files with EMAIL_FILE_PATH; SMTP in
# production (EMAIL_HOST, default localhost, with EMAIL_PORT, EMAIL_USER, EMAIL_PASSWORD).
if os.environ.get("EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
        }
    }
elif os.environ.get("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_USER", ""),
                "password": os.environ.get("EMAIL_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en-nz"
TIME_ZONE = "Pacific/Auckland"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security --------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not LOCAL_HTTP:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Realtime --------------------------------------------------------------------------------
REALTIME = {
    # Most activities a reconnecting client is replayed before being told to reload.
    "REPLAY_LIMIT": int(os.environ.get("REALTIME_REPLAY_LIMIT", "500")),
    # Outgoing frames buffered for one socket before a slow reader is disconnected.
    "SEND_QUEUE_LIMIT": int(os.environ.get("REALTIME_SEND_QUEUE_LIMIT", "200")),
    # How often each process's hub asks the database for live events its channel layer missed
    # (Redis down or reconnecting), and how long an event may take through the layer before it
    # counts as missed and is delivered from the database instead.
    "GAP_CHECK_SECONDS": float(os.environ.get("REALTIME_GAP_CHECK_SECONDS", "2")),
    "GAP_GRACE_SECONDS": float(os.environ.get("REALTIME_GAP_GRACE_SECONDS", "2")),
}

# --- Background tasks ------------------------------------------------------------------------
# Django's tasks framework with a database-backed queue (django-tasks-db; docs/decisions.md):
# enqueuing writes a row in the caller's transaction, so a rolled-back change leaves no task.
# `manage.py db_worker` runs them (`make run` starts it beside Daphne). Notification fan-out to
# followers and every notification e-mail go through it, off the request path.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

FEED_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Every write a person makes is limited per person (core/ratelimit.py): action → (count, seconds).
# A window opens at the first action and closes SECONDS later. Override one with an environment
# variable RATE_LIMIT_<ACTION>=COUNT/SECONDS, e.g. RATE_LIMIT_POST=20/60.
RATE_LIMITS = {
    "post": (10, 60),  # problems, ideas, comments
    "edit": (10, 60),  # editing an idea or a comment, deleting a comment
    "support": (20, 60),  # supporting and withdrawing support
    "follow": (30, 60),  # following and unfollowing
    "report": (10, 600),  # reports (a repeated report of one item counts once)
    "decide": (30, 60),  # stage decisions, merges, a problem's status and owners
    "moderate": (30, 60),  # stewards hiding content
    "organisation": (5, 3600),  # adding organisations
    "profile": (10, 60),  # saving one's profile (each save is a public feed item)
    "token": (10, 3600),  # creating personal access tokens
    "board": (120, 60),  # adding, editing and moving cards (a keyboard move is one each)
}
for _action in RATE_LIMITS:
    if _value := os.environ.get(f"RATE_LIMIT_{_action.upper()}", ""):
        _count, _, _seconds = _value.partition("/")
        RATE_LIMITS[_action] = (int(_count), int(_seconds or 60))

# Absolute links in e-mails (notification digests, unsubscribe).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
