"""Encryption of company API tokens at rest."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenDecryptError(Exception):
    """No configured key opens a stored token."""


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.LUMINOUS_ADMIN_ENCRYPTION_KEY.split(",")]
    return MultiFernet([Fernet(key) for key in keys if key])


def normalize_token(raw: str) -> str:
    """Trim what copy and paste adds around a token; refuse an empty one."""
    token = raw.strip()
    if not token:
        raise ValueError("The API token is empty.")
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
