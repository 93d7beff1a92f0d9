"""The unit every edition prints: one catalog entry as the patient reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One catalog entry as the patient reads it: ``text`` is the translation (None: a draft's
    missing entry, printed in English), ``source`` the English; both in the content's markup."""

    id: str
    kind: str  # title, heading, paragraph, item, warning, frame or directions
    source: str
    text: str | None
