from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# One DNS label: it becomes the host name in a URL that carries the bearer token,
# so anything that could change the host (dots, "@", ":", "/", escapes) is refused.
SUBDOMAIN_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

SUBDOMAIN_MESSAGE = (
    "Enter the company's subdomain only: 1 to 63 letters a-z, digits and inner "
    "hyphens, as in acme for acme.api.joinluminous.com."
)


def validate_subdomain(value: str) -> None:
    if not isinstance(value, str) or not SUBDOMAIN_RE.fullmatch(value):
        raise ValidationError(SUBDOMAIN_MESSAGE, code="invalid_subdomain")
