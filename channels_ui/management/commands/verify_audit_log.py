"""Check the audit log's hash chain from its first link to its head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from channels_ui.audit.chain import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recompute every link of the audit log's SHA-256 chain and report the first "
        "entry whose link does not hold; exits non-zero if one is found."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        broken = report.broken
        if broken is not None:
            where = f"entry #{broken.entry_id}" if broken.entry_id else "the head"
            if broken.seq is not None:
                where += f" (chain position {broken.seq})"
            raise CommandError(f"Audit chain broken at {where}: {broken.reason}.")
        # The head digest is worth keeping elsewhere: a log rewritten from some
        # link onwards verifies again, but ends in a different head.
        self.stdout.write(
            f"Audit log intact: {report.links} link(s); head {report.head}."
        )
