"""Static files as whitenoise serves them (compressed, under hashed names),
with each file's URL worked out once.

Every page asks for the same few static URLs, and each answer cleaned the name,
read the manifest and joined the URL anew. The manifest does not change while
the app runs (``collectstatic`` writes it before the app starts), so the
answers are kept.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
