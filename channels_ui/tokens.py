"""Encryption of company API tokens at rest."""

from __future__ import annotations

import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenDecryptError(Exception):
    """No configured key opens a stored token."""


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.LUMINOUS_ADMIN_ENCRYPTION_KEY.split(",")]
    return MultiFernet([Fernet(key) for key in keys if key])


# A bearer token travels in an HTTP header, which carries visible ASCII only.
TOKEN_RE = re.compile(r"[!-~]+")


def normalize_token(raw: str) -> str:
    """Trim what copy and paste adds around a token; refuse one that cannot be a
    token (empty, or holding spaces or characters a header cannot carry)."""
    token = raw.strip()
    if not token:
        raise ValueError("The API token is empty.")
    if not TOKEN_RE.fullmatch(token):
        raise ValueError(
            "The API token may hold only visible ASCII characters (letters, digits "
            "and punctuation), with no spaces inside. Copy it again from Luminous."
        )
    return token


def encrypt_token(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def decrypt_token(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise TokenDecryptError from exc


def reencrypt_token(ciphertext: str) -> str:
    """Return the ciphertext re-encrypted under the first key."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise TokenDecryptError from exc
