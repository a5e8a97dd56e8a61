"""One type for every domain refusal: the plan's rules said no, in plain Spanish, and nothing was written.

Every service that refuses raises ``Refused`` (or a subclass that names the kind of refusal, for callers that must
tell them apart); ``ui.write`` and ``core.cli`` catch ``Refused`` once and show its messages. A refusal is never a
bug: it carries no traceback to the user, only what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable


class Refused(Exception):
    """The request breaks a rule; ``messages`` say each reason, in Spanish, ready to show as they are."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages: tuple[str, ...] = (messages,) if isinstance(messages, str) else tuple(messages)
        super().__init__(" ".join(self.messages))
