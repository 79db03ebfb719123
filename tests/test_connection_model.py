import pytest
from django.core.exceptions import ValidationError

from channels_ui.models import Connection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "subdomain",
    ["evil.com/", "x@evil.com", "a.b", "-a", "", "localhost:80", "127.0.0.1", "a" * 64],
)
def test_the_model_refuses_a_hostile_subdomain_without_any_form(subdomain):
    connection = Connection(name="X", subdomain=subdomain)
    connection.set_token("t0k3n")
    with pytest.raises(ValidationError):
        connection.save()
    assert not Connection.objects.exists()
