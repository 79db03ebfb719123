"""Template source checks that a rendered page would only show as stray text."""

from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_comments_close_on_the_line_they_open(template):
    # Django's {# #} comment is one line long; a longer one renders as text.
    for number, line in enumerate(template.read_text().splitlines(), start=1):
        assert "{#" not in line or "#}" in line, f"{template.name}:{number}"


@pytest.mark.django_db
def test_a_page_shows_no_template_syntax(client):
    html = client.get("/accounts/login/").content.decode()
    assert "{#" not in html and "{%" not in html
