"""Reading the result page that Confirm answers with."""

from __future__ import annotations

import re

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def result_address(response) -> str:
    """The address a result page names as its own; "" for any other page."""
    found = CANONICAL.search(response.content.decode())
    return found[1] if found else ""
