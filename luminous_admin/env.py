"""Strict readers for settings that come from the environment.

A typo such as ``DJANGO_DEBUG=flase`` stops the app at start-up instead of being
read as some default.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """Return a variable, or the contents of the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off."
    )


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from exc
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be greater than zero.")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return value


def env_header(name: str) -> tuple[str, str] | None:
    """Return ``("HTTP_X_FORWARDED_PROTO", "https")`` for ``X-Forwarded-Proto=https``.

    This is the shape of ``SECURE_PROXY_SSL_HEADER``; unset means no proxy.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition("=")
    if not (sep and header.strip() and value.strip()):
        raise ImproperlyConfigured(
            f"{name} must look like X-Forwarded-Proto=https, not {raw!r}."
        )
    meta_name = "HTTP_" + header.strip().upper().replace("-", "_")
    return meta_name, value.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def local_secrets(path: Path, makers: dict[str, Callable[[], str]]) -> dict[str, str]:
    """Return development secrets kept in a git-ignored file, made on first use.

    The file appears complete or not at all (written aside, then hard-linked into
    place), so two processes starting together agree on one set of keys.
    Production sets the variables and never reads this file.
    """
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as handle:
        json.dump({name: make() for name, make in makers.items()}, handle)
    try:
        os.chmod(handle.name, 0o600)
        os.link(handle.name, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(handle.name)
    return json.loads(path.read_text())
