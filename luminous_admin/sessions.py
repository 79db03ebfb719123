"""Sessions kept in the database, as Django keeps them, read in plain SQL.

Every request reads its session first. This store is Django's database store
with that one read done by ``channels_ui.plain_reads``; writing, expiry and
clean-up are Django's own. ``SESSION_ENGINE`` names this module.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from channels_ui.plain_reads import read_one


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        session = read_one(Session, session_key=self.session_key)
        # Django's store asks the database for an unexpired row; the same test
        # is made here. An expired session is no session, and its key goes.
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
