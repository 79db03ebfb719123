"""Settings, read from the environment with safe local defaults.

A bare checkout runs with DEBUG on, SQLite under ``var/`` and development keys kept
in ``var/local-secrets.json``. With ``DJANGO_DEBUG=0`` every secret must be set.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP

from luminous_admin.env import (
    env_bool,
    env_float,
    env_header,
    env_int,
    env_list,
    env_str,
    local_secrets,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
# Several comma-separated Fernet keys: the first encrypts, every one decrypts.
LUMINOUS_ADMIN_ENCRYPTION_KEY = env_str("LUMINOUS_ADMIN_ENCRYPTION_KEY")
if not (SECRET_KEY and LUMINOUS_ADMIN_ENCRYPTION_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY and LUMINOUS_ADMIN_ENCRYPTION_KEY must be set "
            "when DJANGO_DEBUG is off."
        )
    _local = local_secrets(
        VAR_DIR / "local-secrets.json",
        {
            "DJANGO_SECRET_KEY": get_random_secret_key,
            "LUMINOUS_ADMIN_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
        },
    )
    SECRET_KEY = SECRET_KEY or _local["DJANGO_SECRET_KEY"]
    LUMINOUS_ADMIN_ENCRYPTION_KEY = (
        LUMINOUS_ADMIN_ENCRYPTION_KEY or _local["LUMINOUS_ADMIN_ENCRYPTION_KEY"]
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Production is served over HTTPS; `make run` serves plain http on loopback, so
# the HTTPS-only settings follow DEBUG unless DJANGO_HTTPS says otherwise.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# Set only behind a proxy that overwrites the header on every request; a client
# could otherwise claim HTTPS for a plain request.
SECURE_PROXY_SSL_HEADER = env_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one plain SQL statement.
SESSION_ENGINE = "luminous_admin.sessions"
# The CSRF token reaches htmx through the page (hx-headers), so no script needs
# to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere, htmx's indicator style included (see
# base.html); Bootstrap draws some icons from data: URIs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "channels_ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "channels_ui.middleware.HtmxAwareLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into the sign-in page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luminous_admin.urls"

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
                "channels_ui.context_processors.links",
            ],
        },
    },
]

WSGI_APPLICATION = "luminous_admin.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes, and NORMAL syncing is safe
    # under WAL; IMMEDIATE transactions queue writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "luminous-admin",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "channels_ui.permissions.RolePermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Without DEBUG, static files carry a content hash in their names, so
    # whitenoise serves them compressed with far-future caching; this needs
    # `manage.py collectstatic` before the app starts.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "luminous_admin.storage.StaticFilesStorage"
        )
    },
}

# Uploads (CSV lists) stay in memory, capped, and are never written to disk;
# see channels_ui/uploads.py. A larger body is the reverse proxy's to refuse.
FILE_UPLOAD_HANDLERS = ["channels_ui.uploads.CappedMemoryUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Sign-in attempts: five failures for one user name, or from one address, lock
# that name or address out for a while; a success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("LUMINOUS_ADMIN_LOCKOUT_MINUTES", 15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "luminous_admin.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "luminous_admin.signin.client_ip"
# How many proxies in front of the app append to X-Forwarded-For; 0 trusts
# only the socket's address.
LUMINOUS_ADMIN_PROXY_COUNT = env_int("LUMINOUS_ADMIN_PROXY_COUNT", 0)

# Error reports leave out tokens, keys and passwords, the DEBUG page included.
DEFAULT_EXCEPTION_REPORTER_FILTER = "luminous_admin.reporting.SecretHidingFilter"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Where the Luminous API lives; {company} is replaced by a connection's subdomain.
LUMINOUS_API_BASE_URL = env_str(
    "LUMINOUS_API_BASE_URL",
    "https://{company}.api.joinluminous.com/external/api/v1",
)
LUMINOUS_CONNECT_TIMEOUT = env_float("LUMINOUS_CONNECT_TIMEOUT", 5.0)
LUMINOUS_READ_TIMEOUT = env_float("LUMINOUS_READ_TIMEOUT", 30.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "channels_ui": {"level": "INFO"},
        # httpx logs request URLs at INFO; ours says the same without noise.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
