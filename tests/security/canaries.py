"""The secrets the whole test run uses, made to be recognised wherever they leak."""

from __future__ import annotations

import base64

# Every canary token carries this mark, so a token shown whole or in part (other
# than its last four characters, which the pages show on purpose) is caught.
TOKEN_MARK = "cnry-5e1f0a"
ACME_TOKEN = f"acme-{TOKEN_MARK}-token-0001"
GLOBEX_TOKEN = f"globex-{TOKEN_MARK}-token-0002"
KEY_MATERIAL = b"canary-key-material-32-bytes-ok!"
CANARY_KEY = base64.urlsafe_b64encode(KEY_MATERIAL).decode()

CANARIES = {
    "canary token": TOKEN_MARK,
    "canary encryption key": CANARY_KEY,
    "canary key material": KEY_MATERIAL.decode(),
}


def leaks_in(text: str) -> list[str]:
    """Return the names of the canaries that appear in ``text``."""
    return [name for name, value in CANARIES.items() if value in text]
