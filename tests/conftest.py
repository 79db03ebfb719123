from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from security.canaries import ACME_TOKEN, GLOBEX_TOKEN

from channels_ui import lookup_store
from channels_ui.luminous import client
from channels_ui.luminous.simulator import Simulator
from channels_ui.luminous.simulator_http import serve
from channels_ui.models import Connection, Environment

# The connection tokens and the encryption key are canaries: the guard fails any
# test whose pages or logs show one.
pytest_plugins = ["security.canary_guard", "security.required", "audit.log_cleanup"]

SIMULATOR_TOKENS = {ACME_TOKEN: "acme", GLOBEX_TOKEN: "globex"}

# Nothing listens on the discard port: a test that forgets the simulator fails
# with "unreachable" instead of reaching any real host.
NOWHERE = "http://127.0.0.1:9/external/api/v1"


@pytest.fixture(autouse=True)
def _isolated(settings) -> Iterator[None]:
    settings.LUMINOUS_API_BASE_URL = NOWHERE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    lookup_store.lists.clear()
    client.sandbox_app().reset()
    yield


@pytest.fixture(scope="session")
def simulator_server():
    simulator = Simulator(tokens=SIMULATOR_TOKENS)
    with serve(simulator) as server:
        yield simulator, server


@pytest.fixture
def simulator(simulator_server, settings) -> Simulator:
    """The simulator, served over real loopback HTTP, with fresh state."""
    simulator, server = simulator_server
    simulator.reset()
    settings.LUMINOUS_API_BASE_URL = f"{server.url}/external/api/v1"
    return simulator


@pytest.fixture
def make_connection(db) -> Callable[..., Connection]:
    def make(
        name: str = "Acme",
        subdomain: str = "acme",
        token: str = ACME_TOKEN,
        environment: str = Environment.STAGING,
    ) -> Connection:
        connection = Connection(name=name, subdomain=subdomain, environment=environment)
        connection.set_token(token)
        connection.save()
        return connection

    return make


@pytest.fixture
def acme(make_connection) -> Connection:
    return make_connection()


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("alice", password="pw-alice-1")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, role: str | None = None):
        user = django_user_model.objects.create_user(
            username, password="pw-1-" + username
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make
