"""What one call to the Luminous API came to, as a value a view can show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OutcomeKind(StrEnum):
    OK = "ok"
    CREATED = "created"
    VALIDATION_FAILED = "validation_failed"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    UNREACHABLE = "unreachable"
    OUTCOME_UNKNOWN = "outcome_unknown"
    BAD_RESPONSE = "bad_response"

    @property
    def title(self) -> str:
        return KIND_TITLES[self]


KIND_TITLES = {
    OutcomeKind.OK: "OK",
    OutcomeKind.CREATED: "Created",
    OutcomeKind.VALIDATION_FAILED: "Validation failed",
    OutcomeKind.UNAUTHORIZED: "Token rejected",
    OutcomeKind.FORBIDDEN: "Forbidden",
    OutcomeKind.NOT_FOUND: "Not found",
    OutcomeKind.CONFLICT: "Conflict",
    OutcomeKind.REJECTED: "Request rejected",
    OutcomeKind.RATE_LIMITED: "Rate limited",
    OutcomeKind.SERVER_ERROR: "Server error",
    OutcomeKind.UNREACHABLE: "Unreachable",
    OutcomeKind.OUTCOME_UNKNOWN: "Outcome unknown",
    OutcomeKind.BAD_RESPONSE: "Bad response",
}


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    method: str
    path: str
    status: int | None = None
    # The parsed JSON body, or None when there was none or it was not JSON.
    body: Any = None
    # The raw body when it was not JSON, cut to a readable length.
    text: str = ""
    # The API's own "message", or our description of a network fault.
    message: str = ""
    # A 422's errors, keyed by dotted field path.
    errors: dict[str, list[str]] = field(default_factory=dict)
    retry_after: float | None = None
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.kind in (OutcomeKind.OK, OutcomeKind.CREATED)

    @property
    def data(self) -> Any:
        if isinstance(self.body, dict):
            return self.body.get("data")
        return None


def normalize_errors(raw: object) -> dict[str, list[str]]:
    """Read a 422 ``errors`` object; a bare string stands for a one-item list."""
    if not isinstance(raw, dict):
        return {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            errors[str(key)] = [value]
        elif isinstance(value, list):
            errors[str(key)] = [str(item) for item in value]
    return errors


def error_location(path: str) -> tuple[str, int | None, str | None]:
    """Split a 422 error key into (field, row, subfield).

    ``integrationProducts.3.channelSku`` gives ``("integrationProducts", 3,
    "channelSku")``, ``tagIds.1`` gives ``("tagIds", 1, None)`` and ``label``
    gives ``("label", None, None)``. Rows are the API's zero-based indexes.
    """
    field_name, _, rest = path.partition(".")
    if not rest:
        return field_name, None, None
    head, _, tail = rest.partition(".")
    if head.isdecimal():
        return field_name, int(head), tail or None
    return field_name, None, rest


class LookupFailed(Exception):
    """A read the form depends on did not succeed."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"{outcome.method} {outcome.path}: {outcome.kind.title}")
        self.outcome = outcome
