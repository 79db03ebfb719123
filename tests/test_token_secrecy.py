"""Tokens never leave the encrypted column: not on disk, in pages, logs or errors."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings

from channels_ui.models import Connection

CANARY = "canary-7c3e9a51d2b84f60"
REPO = Path(django_settings.BASE_DIR)


def manage(env, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_the_raw_sqlite_file_holds_none_of_three_tokens(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": "test-secret-key-for-a-subprocess",
        "LUMINOUS_ADMIN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    manage(env, "migrate", "--noinput")
    tokens = [f"raw-file-token-{n}-{os.urandom(6).hex()}" for n in range(3)]
    for number, token in enumerate(tokens):
        manage(env, "connection_set", f"--subdomain=company{number}",
               f"--name=Company {number}", stdin=token)  # fmt: skip
    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert [token.encode() in raw for token in tokens] == [False, False, False]
    assert b"company2" in raw


@pytest.mark.django_db
def test_a_canary_token_appears_in_no_page_log_or_error(
    admin_client, simulator, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    pages = []
    add = {"name": "Canary", "subdomain": "canary", "environment": "staging",
           "token": CANARY}  # fmt: skip
    pages.append(admin_client.post("/connections/add/", add, follow=True))
    connection = Connection.objects.get()
    edit = f"/connections/{connection.pk}/"
    pages.append(admin_client.post(f"{edit}verify/", follow=True))
    pages.append(admin_client.post(f"{edit}token/", {"token": CANARY}, follow=True))
    pages.append(admin_client.get("/connections/"))
    pages.append(admin_client.get(edit))
    pages.append(admin_client.post("/channels/new/", {
        "connection": connection.pk, "_action": "send",
        "channelType": "sales_channel", "label": "Canary", "warehouseGroupId": "12",
    }))  # fmt: skip
    pages.append(admin_client.get("/audit/"))
    settings.LUMINOUS_ADMIN_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(Exception) as failure:
        connection.get_token()
    seen = [page.content.decode() for page in pages]
    seen += [record.getMessage() for record in caplog.records]
    seen += [str(failure.value), repr(failure.value)]
    assert [CANARY in text for text in seen] == [False] * len(seen)
    assert any("company=canary" in record.getMessage() for record in caplog.records)
