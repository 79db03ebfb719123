"""Settings, read from the environment with safe local defaults.

A bare checkout runs with DEBUG on, SQLite under ``var/`` and development keys kept
in ``var/local-secrets.json``. With ``DJANGO_DEBUG=0`` every secret must be set.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from luminous_admin.env import (
    env_bool,
    env_float,
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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "channels_ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

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
