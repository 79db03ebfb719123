import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management.utils import get_random_secret_key
from django.utils.module_loading import import_string
from whitenoise.storage import CompressedManifestStaticFilesStorage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": get_random_secret_key(),
    "LUMINOUS_ADMIN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "DJANGO_ALLOWED_HOSTS": "admin.example.test",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
    )


def settings_under(env: dict[str, str], *names: str) -> list[str]:
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(s.{name})" for name in names
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    return result.stdout.splitlines()


def test_deploy_checks_find_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")


def test_production_refuses_to_start_without_its_keys():
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "x"}
    result = manage("check", env=env)
    assert "must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_redirects_to_https_and_sends_hsts():
    values = settings_under(PRODUCTION, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    assert values == ["True", "31536000"]


def test_make_run_serves_plain_http_with_debug_on():
    values = settings_under(
        {"DJANGO_DEBUG": "1"},
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    )
    assert values == ["False", "False", "0"]


def test_a_proxy_header_is_read_from_the_environment():
    env = PRODUCTION | {"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto=https"}
    assert settings_under(env, "SECURE_PROXY_SSL_HEADER") == [
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    ]


def test_production_serves_hashed_compressed_static_files():
    (backend,) = settings_under(PRODUCTION, "STORAGES['staticfiles']['BACKEND']")
    assert issubclass(import_string(backend), CompressedManifestStaticFilesStorage)
