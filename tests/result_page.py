"""Reading the result page that Confirm answers with."""

from __future__ import annotations

import re

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def result_address(response) -> str:
    """The address a result page names as its own; the test fails without one."""
    assert response.status_code == 200, response.status_code
    found = CANONICAL.search(response.content.decode())
    assert found, "the page names no address of its own"
    return found[1]
