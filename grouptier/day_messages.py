"""The messages of one day, as staff copy them into WhatsApp (`grouptier messages`).

Only the Settings and Messages tabs are read, so a mistake elsewhere in the
sheet does not keep staff from the day's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from grouptier.backends.base import Backend, Record
from grouptier.cycle import Clock, local_today, utc_now
from grouptier.errors import Problem
from grouptier.outbox import read_messages
from grouptier.settings import read_settings
from grouptier.sheet import MESSAGES, SETTINGS, read_table


@dataclass(frozen=True)
class DayMessages:
    """The Messages rows of one day, ready to copy, in the order they are in the sheet."""

    day: date
    rows: tuple[Record, ...]


def messages_of_day(
    backend: Backend,
    today: date | None = None,
    group: str | None = None,
    kind: str | None = None,
    clock: Clock = utc_now,
) -> DayMessages:
    """Messages dated `today` (default: today in the sheet's time zone), of one group or kind."""
    raw = backend.read()
    if today is None:
        problems: list[Problem] = []
        table = read_table(raw, SETTINGS, problems)
        settings = read_settings(table, problems) if table is not None else None
        today = local_today(clock(), settings.time_zone if settings else "UTC")
    messages = read_messages(read_table(raw, MESSAGES, []))
    picked = messages[messages["date"] == today]
    if group:
        picked = picked[picked["group"].str.casefold() == group.casefold()]
    if kind:
        picked = picked[picked["kind"] == kind]
    rows = picked.drop(columns=["sheet_row"]).to_dict("records")
    return DayMessages(today, tuple(rows))
