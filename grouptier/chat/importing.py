"""Turn a WhatsApp chat export into Activity rows: match senders to Members, replace, write.

`import_chat` reads the sheet and the export under the backend's lock and
writes one batch: the Activity rows the export gives (one per member and day,
with the export's `group` and `source`) replace the rows an earlier import of
the same group wrote for the same days, so importing an export twice, or an
overlapping one, counts nothing twice. Days already summed into History are
left out, and the report says so. The same batch appends one `Imports` row
with the export's first and last day, so the cycle knows which days of the
group's activity are counted (a re-import adds another row: coverage is their
union).

Senders are matched to Members by phone number (compared in E.164 form, as
`grouptier.phones` reads them with the `phone_region` setting) or by name:
the member's `name` or one of their `aliases` (the names phones saved them
under). Senders that match nobody are listed in the report, each with the
likeliest member when one stands out (`chat.suggestions`: a similar name, or
the same number without its country code); `accept_suggestions` adds those
senders' names to the suggested members' `aliases`, in the same batch.
`add_newcomers` adds the others to Members, a phone number in E.164 form as
the id; a sender with a suggestion is never added as a newcomer, so that a
member does not get a duplicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from grouptier.backends.base import Backend, CellUpdate, ChangeSet, Record
from grouptier.cells import did_you_mean
from grouptier.chat.export import ChatExport, ContentRule, Progress, read_chat, without_push_mark
from grouptier.chat.formats import split_names
from grouptier.chat.marks import INVISIBLE
from grouptier.chat.normal_form import nfc
from grouptier.chat.suggestions import MemberSuggester, Suggestion
from grouptier.community import Community, load_community
from grouptier.cycle import Clock, utc_now
from grouptier.errors import ChatExportError, UsageError
from grouptier.phones import phone_key
from grouptier.schedule import calendar_of
from grouptier.settings import Settings

SOURCE_PREFIX = "chat export"
# How the phone that exported the chat names itself in system lines.
_EXPORTER = frozenset({"", "you", "du", "vous", "você", "tú", "tu", "أنت", "anda"})
_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class ImportOptions:
    """How an import was asked for."""

    group: str
    dry_run: bool = False
    date_order: str | None = None  # day-first, month-first or year-first; None: from the file
    add_newcomers: bool = False
    accept_suggestions: bool = False


@dataclass(frozen=True)
class Unmatched:
    """A sender (or the person credited with an invite) who is not in Members."""

    sender: str
    messages: int
    invites: int
    first_day: date
    why: str
    suggestion: Suggestion | None = None  # the member this sender likely is


@dataclass(frozen=True)
class ImportReport:
    """What an import found and did."""

    export: ChatExport
    group: str
    imported: tuple[date, date] | None  # first and last day written
    rolled_up_days: int  # days of the export already summed into History
    rolled_up_until: date | None
    rows_added: int
    rows_replaced: int
    members_matched: int
    unmatched: tuple[Unmatched, ...]
    newcomers: tuple[str, ...]
    events: dict[str, int] = field(default_factory=dict)
    aliases_added: tuple[tuple[str, Suggestion], ...] = ()  # (sender, member) accepted
    invites: int = 0
    recorded: tuple[date, date] | None = None  # first and last day of the export, in Imports
    written: bool = False
    dry_run: bool = False


def import_chat(
    backend: Backend,
    export_path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
    clock: Clock = utc_now,
) -> ImportReport:
    """Import one export into the Activity tab of `backend` (nothing written on a dry run).

    The days the export covers are recorded in the Imports tab, stamped with `clock`'s
    time in the sheet's time zone.
    """
    with backend.lock():
        community = load_community(backend.read())
        group = _group_name(community, options.group)
        rule = content_rule(community.settings)
        export = read_chat(export_path, rule, options.date_order, progress)
        if export.ambiguous and options.date_order is None:
            flags = " or ".join(f"--{reading}" for reading in export.readings)
            raise ChatExportError(
                export_path,
                f"cannot tell in what order its dates are written ({export.order_reason}); "
                f"run again with {flags}",
            )
        changes, report = plan_import(community, export, group, options, clock())
        if not options.dry_run and not changes.is_empty():
            backend.write(changes)
            report = replace(report, written=True)
    return report


def content_rule(settings: Settings) -> ContentRule:
    """The settings' rule for what counts as a content post."""
    return ContentRule(
        settings.content_min_chars,
        settings.content_links,
        settings.content_documents,
        settings.content_media,
    )


def _group_name(community: Community, asked: str) -> str:
    names = [str(name) for name in community.groups["name"]]
    for name in names:
        if name.casefold() == asked.strip().casefold():
            return name
    raise UsageError(f'group "{asked}" is not in Groups{did_you_mean(asked, names)}')


def plan_import(
    community: Community, export: ChatExport, group: str, options: ImportOptions, now: datetime
) -> tuple[ChangeSet, ImportReport]:
    """The batch an import writes and its report; pure, no I/O (`now` is the import's time)."""
    rolled_until = _rolled_up_until(community)
    days = [day for day in export.days if rolled_until is None or day > rolled_until]
    index = SenderIndex(community.members, community.settings.phone_region)
    source = f"{SOURCE_PREFIX} {export.name}"
    unmatched = _suggested(_unmatched(export, index, days), MemberSuggester(community.members))
    accepted = [item for item in unmatched if item.suggestion] if options.accept_suggestions else []
    if accepted:
        for item in accepted:
            index.add_alias(item.sender, _suggested_id(item))
        unmatched = [item for item in unmatched if not item.suggestion]
    newcomers: list[Record] = []
    if options.add_newcomers:
        newcomers = _newcomer_rows(unmatched, community, group, export.name)
        index.add(newcomers)
        unmatched = [item for item in unmatched if index.find(item.sender)[0] is None]
    rows = activity_rows(export, index, group, source, set(days))
    replaced = _rows_to_replace(community.activity, group, days)
    changes = ChangeSet()
    if rows or replaced:
        changes.appends["Activity"] = rows
        changes.deleted_rows["Activity"] = replaced
    if newcomers:
        changes.appends["Members"] = newcomers
    changes.cell_updates += alias_updates(community.members, accepted)
    matched = len({row["member_id"] for row in rows})
    stamp = now.astimezone(ZoneInfo(community.settings.time_zone)).strftime(_TIME)
    coverage = _imports_row(export, group, source, stamp, (matched, len(unmatched)))
    if coverage:
        changes.appends["Imports"] = [coverage]
    events = Counter(event.kind for event in export.events)
    report = ImportReport(
        export=export,
        group=group,
        imported=(days[0], days[-1]) if days else None,
        rolled_up_days=len(export.days) - len(days),
        rolled_up_until=rolled_until,
        rows_added=len(rows),
        rows_replaced=len(replaced),
        members_matched=matched,
        unmatched=tuple(unmatched),
        newcomers=tuple(str(row["name"]) for row in newcomers),
        aliases_added=tuple((item.sender, item.suggestion) for item in accepted if item.suggestion),
        events=dict(sorted(events.items())),
        invites=sum(int(str(row["invites"])) for row in rows),
        recorded=(export.days[0], export.days[-1]) if coverage else None,
        dry_run=options.dry_run,
    )
    return changes, report


def _imports_row(
    export: ChatExport, group: str, source: str, stamp: str, senders: tuple[int, int]
) -> Record | None:
    """The Imports row saying which days of `group` the export covers; None without days.

    `senders` is (members matched, senders not matched). The whole export
    counts, days already summed into History included: History covers them.
    """
    days = export.days
    if not days:
        return None
    return {
        "imported_at": stamp,
        "group": group,
        "first_day": days[0],
        "last_day": days[-1],
        "source": source,
        "messages": export.messages,
        "senders": senders[0],
        "unmatched": senders[1],
    }


def _rolled_up_until(community: Community) -> date | None:
    """The last day summed into History: the end of its last cycle, as the calendar has it."""
    history = community.history
    if history.empty:
        return None
    last = int(history["cycle"].max())
    return calendar_of(community.runs, community.settings).window(last).end


def _rows_to_replace(activity: pd.DataFrame, group: str, days: list[date]) -> list[int]:
    if not days or activity.empty:
        return []
    first, last = np.datetime64(days[0]), np.datetime64(days[-1])
    dates = activity["date"].to_numpy()
    chosen = activity[
        (activity["group"] == group)
        & activity["source"].astype(str).str.startswith(SOURCE_PREFIX)
        & (dates >= first)
        & (dates <= last)
    ]
    return sorted(int(row) for row in chosen["sheet_row"])


_NO_MARKS = str.maketrans("", "", INVISIBLE)  # a name's marks, wherever they are, are no part of it


def _name_key(text: str) -> str:
    """A name as compared: a Members cell typed on a Mac may be NFD, the chat's names are NFC;
    "~ Dana" (as earlier imports added people the phone had no contact for) is "Dana"."""
    return without_push_mark(" ".join(nfc(text).translate(_NO_MARKS).split())).casefold()


class SenderIndex:
    """Finds the member behind a sender: by phone number, else by name or alias.

    Numbers are compared by `phone_key`, `region` reading those written without `+`.
    """

    def __init__(self, members: pd.DataFrame, region: str) -> None:
        self.region = region
        self.by_phone: dict[str, str] = {}
        self.by_name: dict[str, set[str]] = {}
        self._found: dict[str, tuple[str | None, str]] = {}  # a sender shows up on many days
        aliases = members["aliases"] if "aliases" in members else [()] * len(members)
        for member_id, name, alias in zip(
            members["member_id"], members["name"], aliases, strict=True
        ):
            self._add(str(member_id), str(name), tuple(alias or ()))

    def _add(self, member_id: str, name: str, aliases: tuple[str, ...]) -> None:
        key = phone_key(member_id, self.region)
        if key:
            self.by_phone.setdefault(key, member_id)
        for text in (name, *aliases):
            if text:
                self.by_name.setdefault(_name_key(text), set()).add(member_id)

    def add(self, rows: list[Record]) -> None:
        """Index new Members rows too."""
        for row in rows:
            aliases = tuple(str(row.get("aliases") or "").split(","))
            self._add(str(row["member_id"]), str(row["name"]), aliases)
        self._found.clear()

    def add_alias(self, alias: str, member_id: str) -> None:
        """Find `member_id` by `alias` too (an accepted suggestion)."""
        self.by_name.setdefault(_name_key(alias), set()).add(member_id)
        self._found.clear()

    def find(self, sender: str) -> tuple[str | None, str]:
        """(member id, '') or (None, why not)."""
        if sender not in self._found:
            self._found[sender] = self._search(sender)
        return self._found[sender]

    def _search(self, sender: str) -> tuple[str | None, str]:
        key = phone_key(sender, self.region)
        if key:
            found = self.by_phone.get(key)
            return (found, "") if found else (None, "no member has this phone number")
        key = _name_key(sender)
        if key in _EXPORTER:
            return None, "the phone that exported the chat"
        ids = self.by_name.get(key, set())
        if len(ids) == 1:
            return next(iter(ids)), ""
        if ids:
            return None, f"{len(ids)} members have this name; add an alias to one"
        return None, "no member has this name or alias"


def activity_rows(
    export: ChatExport, index: SenderIndex, group: str, source: str, days: set[date]
) -> list[Record]:
    """One Activity row per member and day of `days`: messages, active day, content, invites."""
    totals: dict[tuple[date, str], list[int]] = {}
    for sender_day in export.sender_days:
        member_id = index.find(sender_day.sender)[0]
        if member_id is None or sender_day.day not in days:
            continue
        total = totals.setdefault((sender_day.day, member_id), [0, 0, 0])
        total[0] += sender_day.messages
        total[1] += sender_day.content
    for event in export.events:
        if event.kind != "added" or event.day not in days:
            continue
        member_id = index.find(event.actor)[0]
        if member_id is not None:
            total = totals.setdefault((event.day, member_id), [0, 0, 0])
            total[2] += invites_of(event.target)
    return [
        {
            "date": day,
            "member_id": member_id,
            "group": group,
            "messages": messages,
            "active_days": 1 if messages else 0,
            "content": content,
            "invites": invites,
            "source": source,
        }
        for (day, member_id), (messages, content, invites) in sorted(totals.items())
    ]


def invites_of(target: str) -> int:
    """The people an "added" line names; one when it names nobody ("Ana added you" in Turkish)."""
    return len(split_names(target)) or 1


def _unmatched(export: ChatExport, index: SenderIndex, days: list[date]) -> list[Unmatched]:
    wanted = set(days)
    found: dict[str, list[int]] = {}
    first: dict[str, date] = {}
    why: dict[str, str] = {}
    for sender_day in export.sender_days:
        member_id, reason = index.find(sender_day.sender)
        if member_id is None and sender_day.day in wanted:
            found.setdefault(sender_day.sender, [0, 0])[0] += sender_day.messages
            first.setdefault(sender_day.sender, sender_day.day)
            why[sender_day.sender] = reason
    for event in export.events:
        if event.kind == "added" and event.day in wanted and (event.actor or event.target):
            # No actor: "Du hast Ana hinzugefügt", the exporting phone. Neither name: two
            # names the chat could not part (`phrases.part_names`); nobody to name.
            actor = event.actor or "you"
            member_id, reason = index.find(actor)
            if member_id is None:
                found.setdefault(actor, [0, 0])[1] += invites_of(event.target)
                first.setdefault(actor, event.day)
                why[actor] = reason
    return sorted(
        (
            Unmatched(name, counts[0], counts[1], first[name], why[name])
            for name, counts in found.items()
        ),
        key=lambda item: (-item.messages, -item.invites, item.sender),
    )


def _newcomer_rows(
    unmatched: list[Unmatched], community: Community, group: str, export_name: str
) -> list[Record]:
    taken = {str(member_id) for member_id in community.members["member_id"]}
    rows: list[Record] = []
    for sender in unmatched:
        if not sender.why.startswith("no member") or sender.suggestion:
            continue  # the exporting phone, a name several members share, a likely member
        phone = phone_key(sender.sender, community.settings.phone_region)
        member_id = phone or " ".join(sender.sender.split())
        if member_id in taken or not sender.messages:
            continue
        taken.add(member_id)
        rows.append(
            {
                "member_id": member_id,
                "name": " ".join(sender.sender.split()),
                "group": group,
                "joined_on": sender.first_day,
                "aliases": "" if phone else " ".join(sender.sender.split()),
                "notes": f"added by grouptier import-chat from {export_name}",
            }
        )
    return rows


def _suggested(unmatched: list[Unmatched], suggester: MemberSuggester) -> list[Unmatched]:
    """`unmatched` with the likeliest member of each sender no member has the name or number of.

    A sender whose name holds a comma gets none: it cannot be an alias (aliases are
    comma separated).
    """
    return [
        replace(item, suggestion=suggester.suggest(item.sender))
        if item.why.startswith("no member") and "," not in item.sender
        else item
        for item in unmatched
    ]


def _suggested_id(item: Unmatched) -> str:
    assert item.suggestion is not None  # only accepted items, which all have one
    return item.suggestion.member_id


def alias_updates(members: pd.DataFrame, accepted: list[Unmatched]) -> list[CellUpdate]:
    """The `aliases` cells that gain the accepted senders' names, one update per member."""
    names: dict[int, list[str]] = {}
    for item in accepted:
        if item.suggestion is not None:
            names.setdefault(item.suggestion.row, []).append(_alias(item.sender))
    current = dict(
        zip(members["sheet_row"], members.get("aliases", [()] * len(members)), strict=True)
    )
    return [
        CellUpdate(
            "Members", row, "aliases", ", ".join(dict.fromkeys([*(current.get(row) or ()), *new]))
        )
        for row, new in sorted(names.items())
    ]


def _alias(sender: str) -> str:
    return " ".join(sender.translate(_NO_MARKS).split())
