"""What a run adds to the `Messages` tab: everything staff copy into WhatsApp until the next cycle.

Pure: it takes the community, the Messages rows already in the sheet, the
cycle plans and today's date, and returns the new rows, the old rows to
remove and warnings; rendering goes through a `Renderer`.

- Every run, due or not, adds welcome posts per group for the members who
  joined in the current or previous cycle and have none yet (`welcomes`), and
  on the nudge day the nudges (`nudges`). Messages keeps the current and the
  previous cycle; older rows are removed.
- A processed cycle adds the daily rituals to the end of the current cycle
  (`rituals`), the messages its moves call for (`move_messages`) and a staff
  digest (`staff_digest`).
- A row already in Messages (same date, group, kind and member) is never
  added again, so a rerun adds nothing.

Message rows: date, group, to, kind, member_id, text, posted. `to` says who a
message is for: the group it is posted in, the member's name and number for a
private message (`PRIVATE_KINDS`), or the managers for the staff digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from grouptier.cell_text import fit_lines
from grouptier.cells import CellError, CellValue, parse_date, parse_text
from grouptier.community import Community
from grouptier.message_people import moves_with_figures, recipient
from grouptier.message_rows import PRIVATE_KINDS, STAFF_GROUP, Composer, Draft, Record
from grouptier.messages import WHATSAPP_MESSAGE_LIMIT, Renderer
from grouptier.move_messages import move_messages
from grouptier.nudges import Nudge, nudge_messages
from grouptier.rituals import ritual_messages
from grouptier.schedule import calendar_of
from grouptier.sheet import Table
from grouptier.staff_digest import staff_digest
from grouptier.tiers import CyclePlan
from grouptier.welcomes import welcome_posts

__all__ = [
    "MESSAGE_COLUMNS",
    "PRIVATE_KINDS",
    "STAFF_GROUP",
    "WRITTEN_COLUMNS",
    "Outbox",
    "compose_outbox",
    "message_warnings",
    "read_messages",
    "recipient",
]

MESSAGE_COLUMNS = ["date", "group", "to", "kind", "member_id", "text", "posted"]
# Written rows also say which cycle a move message or digest belongs to (blank for the
# daily ones), so that undoing that cycle removes exactly its messages.
WRITTEN_COLUMNS = [*MESSAGE_COLUMNS, "cycle"]

Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class Outbox:
    """New Messages rows, sheet rows of Messages to remove, and warnings about the texts."""

    rows: list[Record] = field(default_factory=list)
    stale_rows: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_messages(table: Table | None) -> pd.DataFrame:
    """The Messages tab, read leniently (it is the tool's own): date, group, kind, member_id, ...

    Rows whose date cannot be read keep `date` None; they are neither matched nor removed.
    """
    rows = []
    for row, record in table or []:
        try:
            day: date | None = parse_date(record.get("date"))
        except CellError:
            day = None
        rows.append(
            {
                "date": day,
                "group": parse_text(record.get("group")),
                "to": parse_text(record.get("to")),
                "kind": parse_text(record.get("kind")),
                "member_id": parse_text(record.get("member_id")),
                "text": parse_text(record.get("text")),
                "posted": parse_text(record.get("posted")),
                "sheet_row": row,
            }
        )
    return pd.DataFrame(rows, columns=[*MESSAGE_COLUMNS, "sheet_row"])


def compose_outbox(
    community: Community,
    existing: pd.DataFrame,
    plans: Iterable[CyclePlan],
    today: date,
    renderer: Renderer,
    *,
    cell_text_limit: int = WHATSAPP_MESSAGE_LIMIT,
    nudges: Iterable[Nudge] = (),
) -> Outbox:
    """Everything this run adds to Messages (rituals and moves only when `plans` is not empty).

    A text longer than `cell_text_limit` (the backend's cell size) is shortened
    at a line end, saying so, before it is compared with the texts already there.
    """
    settings = community.settings
    calendar = calendar_of(community.runs, settings)
    kept_from = calendar.window(calendar.current(today).cycle - 1).start
    composer = Composer(community, today, renderer, calendar.current(today))
    plans = list(plans)
    rows = welcome_posts(composer, existing, kept_from)
    rows += nudge_messages(composer, nudges)
    if plans:
        rows += ritual_messages(composer)
        for plan in plans:
            moves = moves_with_figures(plan)
            rows += move_messages(composer, plan, moves)
            rows += [staff_digest(composer, plan, moves)]
    # Shortened before the comparison, so a rerun finds the shortened text already written.
    rows = [_fitted(row, min(cell_text_limit, WHATSAPP_MESSAGE_LIMIT)) for row in rows]
    rows = _new_only(rows, existing)
    warnings = message_warnings(rows, community.members)
    rows = [{name: row[name] for name in WRITTEN_COLUMNS} for row in rows]
    stale = [
        int(row)
        for day, row in zip(existing["date"], existing["sheet_row"], strict=True)
        if isinstance(day, date) and day < kept_from
    ]
    return Outbox(rows, stale if rows else [], warnings)


def message_warnings(rows: list[Draft], members: pd.DataFrame) -> list[str]:
    """Texts shortened to fit a cell or a WhatsApp message, and texts naming a member who left.

    A message can only name the people its context holds (`named`: the member,
    the promoted, the topic's host, the staff in the digest), so only those
    names are looked for, which keeps this fast on a large community.
    """
    warnings = []
    left = _left_names(members)
    for row in rows:
        text = str(row["text"])
        if row.get("full_length"):
            warnings.append(
                f"{_label(row)} is {row['full_length']:,} characters, more than a cell of this "
                f"sheet holds or WhatsApp sends; it was shortened to {len(text):,} at the end "
                "of a line, with a note saying so: shorten the template or the text it draws in"
            )
        for name in dict.fromkeys(row["named"]):
            if name in left and name in text:
                warnings.append(f"{_label(row)} names {name}, who has left the community")
    return warnings


def _fitted(row: Draft, limit: int) -> Draft:
    """`row` with its text shortened to `limit` characters, its `full_length` kept to warn."""
    text = str(row["text"])
    if len(text) <= limit:
        return row
    return {**row, "text": fit_lines(text, limit), "full_length": len(text)}


def _left_names(members: pd.DataFrame) -> set[str]:
    """Names of members who left, unless an active member has the same name."""
    left: set[str] = set()
    active: set[str] = set()
    for name, status in zip(members["name"].tolist(), members["status"].tolist(), strict=True):
        (left if status == "left" else active).add(str(name))
    return {name for name in left - active if name.strip()}


def _label(row: Mapping[str, CellValue]) -> str:
    day = row["date"]
    when = f"{day:%Y-%m-%d}" if isinstance(day, date) else str(day)
    return f"the {row['kind']} message for {row['group']} on {when}"


def _key(row: Mapping[str, Any]) -> Key:
    """What makes a message the same: date, group, kind and member; the text when no member.

    Two weekly topics for one group on one day, or the digests of two cycles
    processed by one run, differ only in their text.
    """
    day = row["date"]
    when = f"{day:%Y-%m-%d}" if isinstance(day, date) else str(day)
    member_id = str(row["member_id"])
    return (when, str(row["group"]).casefold(), str(row["kind"]), member_id or str(row["text"]))


def _new_only(rows: list[Draft], existing: pd.DataFrame) -> list[Draft]:
    seen = {_key(row) for row in existing.to_dict("records")}
    fresh = []
    for row in rows:
        key = _key(row)
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    return fresh
