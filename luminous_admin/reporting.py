"""Error reports that never show a token, a key or a password."""

from __future__ import annotations

from collections.abc import Iterable
from types import FrameType
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter

# Frames of these libraries hold the Authorization header, raw tokens or key
# material in variables we cannot name one by one, so all their values go.
OPAQUE_MODULES = ("httpx", "httpcore", "h11", "cryptography", "channels_ui.tokens")


class SecretHidingFilter(SafeExceptionReporterFilter):
    """Hide by name and by module, on top of Django's sensitive_* decorators."""

    def is_active(self, request: HttpRequest | None) -> bool:
        # Also on the DEBUG page, whose screenshots end up in tickets.
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        # Also for a view that forgot @sensitive_post_parameters.
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if self.hidden_settings.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> Iterable[tuple[str, Any]]:
        if _is_opaque(tb_frame.f_globals.get("__name__", "")):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return [
            (name, self.cleansed_substitute)
            if self.hidden_settings.search(name)
            else (name, value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def _is_opaque(module: str) -> bool:
    return any(
        module == name or module.startswith(f"{name}.") for name in OPAQUE_MODULES
    )
