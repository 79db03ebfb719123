"""Production static URLs: hashed names, the same as whitenoise's own storage
gives, worked out once."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from luminous_admin.storage import StaticFilesStorage


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    backend = {"BACKEND": "luminous_admin.storage.StaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={"staticfiles": backend}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.mark.parametrize("name", ["js/app.js", "css/app.css", "favicon.svg"])
def test_urls_are_whitenoises_hashed_urls(collected, name):
    ours = StaticFilesStorage(location=collected, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(
        location=collected, base_url="/static/"
    )
    first, again = ours.url(name), ours.url(name)
    assert first == again == theirs.url(name) != f"/static/{name}"


def test_a_file_not_collected_is_still_refused(collected):
    with pytest.raises(ValueError):
        StaticFilesStorage(location=collected, base_url="/static/").url("no.js")
