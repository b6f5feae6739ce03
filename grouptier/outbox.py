"""What a run adds to the `Messages` tab: everything staff copy into WhatsApp until the next cycle.

Pure: it takes the community, the Messages rows already in the sheet, the
cycle plans and today's date, and returns the new rows, the old rows to
remove and warnings; rendering goes through a `Renderer`.

- A processed cycle adds one good-morning per group per day from today to the
  end of the current cycle, each weekly topic on its first day (in its group,
  or every group when the topic names none), one message per move (one
  promotion announcement per group welcoming everyone promoted into it, a
  private note to each member moved down, a welcome back for each return, a
  congratulation with the invite link for each reward) and a staff digest.
- Every run, due or not, adds a welcome for each member who joined in the
  current or previous cycle and has no welcome in Messages yet. Messages
  keeps the current and the previous cycle, so that is exactly the span in
  which "has no welcome yet" can be checked; older rows are removed.
- A row already in Messages (same date, group, kind and member) is never
  added again, so a rerun adds nothing.

Message rows: date, group, to, kind, member_id, text, posted. `to` says who a
message is for: the group it is posted in, the member's name and number for a
private message (`PRIVATE_KINDS`), or the managers for the staff digest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from grouptier.cell_text import fit_lines
from grouptier.cells import CellError, CellValue, parse_date, parse_text
from grouptier.community import Community
from grouptier.locales import (
    figures_date,
    full_date,
    language_date_separator,
    weekday_name,
    words_date,
)
from grouptier.messages import WHATSAPP_MESSAGE_LIMIT, Renderer
from grouptier.nudges import Nudge
from grouptier.phones import shown_phone
from grouptier.reasons import plural
from grouptier.schedule import Window, calendar_of
from grouptier.sheet import MOVE_KINDS, Table
from grouptier.tiers import CyclePlan

STAFF_GROUP = "staff"  # the `group` of messages meant for the managers, not for a group
DIGEST_LIST_LIMIT = 40  # members listed per kind of move in the digest; the rest are counted
PRIVATE_KINDS = ("retention_notice", "reward", "nudge")  # sent to the member, not posted
MANAGERS = "managers"  # the `to` of the staff digest
MESSAGE_COLUMNS = ["date", "group", "to", "kind", "member_id", "text", "posted"]
# Written rows also say which cycle a move message or digest belongs to (blank for the
# daily ones), so that undoing that cycle removes exactly its messages.
WRITTEN_COLUMNS = [*MESSAGE_COLUMNS, "cycle"]

Record = dict[str, CellValue]
Draft = dict[str, Any]  # a message row while it is composed: a Record plus `named`
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
    composer = _Composer(community, today, renderer, calendar.current(today))
    plans = list(plans)
    rows = composer.welcomes(existing, kept_from)
    rows += [composer.nudge(nudge) for nudge in nudges]
    if plans:
        rows += composer.rituals()
        for plan in plans:
            moves = _moves_with_figures(plan)
            rows += composer.move_messages(plan, moves)
            rows += [composer.staff_digest(plan, moves)]
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


class _Composer:
    """Builds the contexts of every message of a run and renders them."""

    def __init__(
        self, community: Community, today: date, renderer: Renderer, current: Window
    ) -> None:
        self.community = community
        self.settings = community.settings
        self.today = today
        self.renderer = renderer
        self.groups = _group_infos(community.groups, community.members)
        self.current = current  # the cycle `today` is in
        self.ladder = sorted(self.groups.values(), key=lambda g: (g["level"], g["order"]))
        self._names: dict[str, object] | None = None  # member names by id, for nudges

    def _row(
        self,
        day: date,
        group: str,
        kind: str,
        member_id: str,
        context: dict[str, Any],
        *,
        named: Iterable[str] = (),
        cycle: int | str = "",
    ) -> Draft:
        language = self.language_of(group)
        base = {
            "language": language,
            "date": day.isoformat(),
            "date_text": full_date(day, language),
            "weekday": weekday_name(day, language),
            "weekday_number": day.weekday(),
            "cycle": self.current.cycle,
            "cycle_days": self.settings.cycle_days,
            "cycle_end": self.current.end.isoformat(),
            "cycle_end_text": words_date(self.current.end, language),
            "ladder": self.ladder,
        }
        text = self.renderer.render(kind, group, {**base, **context}, language)
        named = tuple(named)
        return {
            "date": day,
            "group": group,
            "to": self._to(group, kind, member_id, named),
            "kind": kind,
            "member_id": member_id,
            "text": text,
            "posted": "",
            "cycle": cycle,
            "named": named,
        }

    def language_of(self, group: str) -> str:
        """The language of `group`'s messages: its own, else the community's (the digest's)."""
        info = self.groups.get(group)
        return str(info["language"]) if info and info["language"] else self.settings.language

    def _to(self, group: str, kind: str, member_id: str, named: Iterable[str]) -> str:
        """Who a message is for: `Zeca García (+55 11 90040-3869)`, the managers, or the group."""
        if kind in PRIVATE_KINDS:
            return recipient(next(iter(named), ""), member_id, self.settings.phone_region)
        return MANAGERS if group == STAFF_GROUP else group

    # -- welcomes ------------------------------------------------------------------------------

    def welcomes(self, existing: pd.DataFrame, kept_from: date) -> list[Draft]:
        """A welcome for each member who joined since `kept_from` and has none in Messages."""
        welcomed = set(existing.loc[existing["kind"] == "welcome", "member_id"])
        members = self.community.members
        codes, days = pd.factorize(members["joined_on"])  # each distinct day is checked once
        recent = [isinstance(day, date) and kept_from <= day <= self.today for day in days]
        fresh = members[np.array([*recent, False])[codes] & (members["status"] != "left")]
        fresh = fresh[~fresh["member_id"].isin(welcomed)]
        rows = []
        for member in fresh.sort_values(["joined_on", "sheet_row"], kind="stable").to_dict(
            "records"
        ):
            group = self.groups[member["group"]]
            context = {
                "member": _person(member),
                "group": group,
                "joined_on": member["joined_on"].isoformat(),
                "joined_on_text": words_date(member["joined_on"], self.language_of(group["name"])),
            }
            rows.append(
                self._row(
                    self.today,
                    group["name"],
                    "welcome",
                    member["member_id"],
                    context,
                    named=[member["name"]],
                )
            )
        return rows

    def nudge(self, nudge: Nudge) -> Draft:
        """A private nudge: the member's own standing in the cycle so far, nobody else's."""
        if self._names is None:
            members = self.community.members
            self._names = dict(zip(members["member_id"], members["name"], strict=True))
        name = str(self._names[nudge.member_id])
        context = {
            **nudge.context,
            "member": _person({"member_id": nudge.member_id, "name": name}),
            "group": self.groups[nudge.group],
        }
        return self._row(self.today, nudge.group, "nudge", nudge.member_id, context, named=[name])

    # -- rituals -------------------------------------------------------------------------------

    def rituals(self) -> list[Draft]:
        """Good mornings and weekly topics from today to the end of the current cycle."""
        first, last = max(self.today, self.current.start), self.current.end
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        rows = []
        for day in days:
            day_index = (day - self.current.start).days
            for group_index, group in enumerate(self.ladder):
                context = {
                    "group": group,
                    "day_index": day_index,
                    "group_index": group_index,
                    "day_number": day_index + 1,
                }
                rows.append(self._row(day, group["name"], "good_morning", "", context))
        return rows + self._topics(first, last)

    def _topics(self, first: date, last: date) -> list[Draft]:
        rows = []
        for topic in self.community.topics.to_dict("records"):
            week_of = topic["week_of"]
            if not isinstance(week_of, date) or not first <= week_of <= last:
                continue
            day = week_of
            targets = [self.groups[topic["group"]]] if topic["group"] else self.ladder
            info = {
                "title": topic["title"],
                "prompt": topic["prompt"],
                "host": topic["host"],
                "week_of": week_of.isoformat(),
            }
            for group in targets:
                spoken = words_date(week_of, self.language_of(group["name"]))
                context = {"group": group, "topic": {**info, "week_of_text": spoken}}
                named = [str(topic["host"])] if topic["host"] else []
                rows.append(self._row(day, group["name"], "weekly_topic", "", context, named=named))
        return rows

    # -- moves ---------------------------------------------------------------------------------

    def move_messages(self, plan: CyclePlan, moves: list[dict[str, Any]]) -> list[Draft]:
        """One promotion announcement per group, and one message per other move."""
        rows: list[Draft] = []
        promoted = [m for m in moves if m["kind"] == "promote"]
        for target in dict.fromkeys(m["to_group"] for m in promoted):
            arriving = [m for m in promoted if m["to_group"] == target]
            context = {
                "group": self.groups[target],
                "members": [_person(m) for m in arriving],
                "count": len(arriving),
                "moved_cycle": plan.window.cycle,
            }
            ids = ", ".join(str(m["member_id"]) for m in arriving)
            named = [str(m["name"]) for m in arriving]
            rows.append(
                self._row(
                    self.today,
                    target,
                    "promotion",
                    ids,
                    context,
                    named=named,
                    cycle=plan.window.cycle,
                )
            )
        for move in moves:
            kind = {"demote": "retention_notice", "return": "return", "reward": "reward"}.get(
                move["kind"]
            )
            if kind is None:
                continue
            own = self.groups[move["from_group"]]
            target = self.groups[move["to_group"]]
            context = {
                "member": _person(move),
                "from_group": own,
                "to_group": target,
                "group": target if kind == "return" else own,
                "moved_cycle": plan.window.cycle,
                "next_review": self.current.end.isoformat(),
            }
            where = target["name"] if kind == "return" else own["name"]
            context["next_review_text"] = words_date(self.current.end, self.language_of(where))
            member_id, named = str(move["member_id"]), [str(move["name"])]
            rows.append(
                self._row(
                    self.today,
                    where,
                    kind,
                    member_id,
                    context,
                    named=named,
                    cycle=plan.window.cycle,
                )
            )
        return rows

    # -- staff digest --------------------------------------------------------------------------

    def staff_digest(self, plan: CyclePlan, moves: list[dict[str, Any]]) -> Draft:
        """For managers: moves to carry out, KOL suggestions, recognition, staff at risk."""
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for move in moves:
            by_kind.setdefault(str(move["kind"]), []).append(_person(move))
        lists = {kind: people[:DIGEST_LIST_LIMIT] for kind, people in by_kind.items()}
        more = {kind: max(len(people) - DIGEST_LIST_LIMIT, 0) for kind, people in by_kind.items()}
        counts = {kind: len(people) for kind, people in by_kind.items()}
        staff = self._staff(plan)
        context = {
            "group": {"name": STAFF_GROUP},
            "moved_cycle": plan.window.cycle,
            "window": self._window(plan.window),
            "moves": {kind: lists.get(kind, []) for kind in MOVE_KINDS},
            "more": {kind: more.get(kind, 0) for kind in MOVE_KINDS},
            "counts": {kind: counts.get(kind, 0) for kind in MOVE_KINDS},
            "total_moves": len(moves),
            "recognised": [s for s in staff if not s["no_activity"]],
            "at_risk": [s for s in staff if s["risks"]],
            "apply_moves": self.settings.apply_moves,
            "data_missing": [str(gap) for gap in plan.gaps],
            # The same gaps as figures, for templates that word them in another language.
            "gaps": [{"group": gap.group, "days": gap.days} for gap in plan.gaps],
            "paused": (paused := self._paused(plan)),
        }
        named = [p["name"] for people in lists.values() for p in people]
        named += [p["name"] for p in (*staff, *paused)]
        return self._row(
            self.today,
            STAFF_GROUP,
            "staff_digest",
            "",
            context,
            named=named,
            cycle=plan.window.cycle,
        )

    def _figures(self, day: date) -> str:
        """A date in figures for the managers, in the community's `date_format`."""
        language = self.language_of(STAFF_GROUP)
        order = self.settings.date_order(language)
        return figures_date(day, order, language_date_separator(language))

    def _window(self, window: Window) -> dict[str, str]:
        start, end = window.start, window.end
        return {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "start_text": self._figures(start),
            "end_text": self._figures(end),
        }

    def _staff(self, plan: CyclePlan) -> list[dict[str, Any]]:
        """Each staff member's cycle, with the playbook's reasons staff leave that apply."""
        members = self.community.members
        staff = members[(members["role"] != "") & (members["status"] != "left")]
        board = plan.leaderboard.set_index("member_id")
        hosting = self._hosted_topics()
        people = []
        for member in staff.to_dict("records"):
            figures = board.loc[member["member_id"]] if member["member_id"] in board.index else None
            person = _person({**member, **(figures.to_dict() if figures is not None else {})})
            topics = hosting.get(str(member["name"]).casefold(), [])
            person.update(role=member["role"], topics=topics, risks=[])
            person["no_activity"] = not person["active_days"]
            person["every_day"] = person["active_days"] >= self.settings.cycle_days
            if len(topics) >= 2:
                person["risks"].append(f"hosts {plural(len(topics), 'topic')} this cycle")
            if person["every_day"]:
                person["risks"].append("was active every single day of the cycle")
            if person["no_activity"]:
                person["risks"].append("no activity recorded this cycle")
            people.append(person)
        return sorted(people, key=lambda p: (-p["score"], p["name"]))

    def _paused(self, plan: CyclePlan) -> list[dict[str, Any]]:
        """Members whose pause kept them from being moved down this cycle."""
        members = self.community.members
        if "paused_until" not in members:
            return []
        end = plan.window.end
        pausing = [isinstance(day, date) and day >= end for day in members["paused_until"]]
        paused = members[np.array(pausing, dtype=bool) & (members["status"] != "left").to_numpy()]
        return [
            {
                "name": name,
                "group": group,
                "until": day.isoformat(),
                "until_text": self._figures(day),
            }
            for name, group, day in zip(
                paused["name"], paused["group"], paused["paused_until"], strict=True
            )
        ][:DIGEST_LIST_LIMIT]

    def _hosted_topics(self) -> dict[str, list[str]]:
        hosting: dict[str, list[str]] = {}
        for topic in self.community.topics.to_dict("records"):
            week_of = topic["week_of"]
            if isinstance(week_of, date) and self.current.start <= week_of <= self.current.end:
                hosting.setdefault(str(topic["host"]).casefold(), []).append(str(topic["title"]))
        return hosting


def _group_infos(groups: pd.DataFrame, members: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each group as a template sees it: name, level, size, invite link, the groups around it."""
    sizes = members.loc[members["status"] != "left", "group"].value_counts()
    levels = groups.groupby("level")["name"].apply(list).to_dict()
    bottom = int(groups["level"].max())
    infos = {}
    for order, group in enumerate(groups.to_dict("records")):
        level = int(group["level"])
        infos[str(group["name"])] = {
            "name": str(group["name"]),
            "level": level,
            "order": order,
            "size": int(sizes.get(group["name"], 0)),
            "invite_link": str(group["invite_link"] or ""),
            "language": str(group.get("language") or ""),
            "is_core": level == 1,
            "is_bottom": level == bottom and bottom > 1,
            "up": " / ".join(levels.get(level - 1, [])),
            "down": " / ".join(levels.get(level + 1, [])),
            "promote_top": group["promote_top"],
            "demote_bottom": group["demote_bottom"],
        }
    return infos


def _moves_with_figures(plan: CyclePlan) -> list[dict[str, Any]]:
    """The plan's moves with each member's figures of the cycle, as plain dicts."""
    if plan.moves.empty:
        return []
    figures = ["member_id", "messages", "active_days", "content", "invites"]
    board = plan.leaderboard[figures]
    moved = set(plan.moves["member_id"].tolist())
    board = board[board["member_id"].isin(list(moved))]
    moves = plan.moves.drop(columns=["sheet_row"]).merge(board, on="member_id", how="left")
    records: list[dict[str, Any]] = moves.to_dict("records")
    return records


def recipient(name: str, member_id: str, region: str = "") -> str:
    """`Zeca García (+55 11 90040-3869)`: a private message's `to`; the number alone if no name."""
    number = shown_phone(member_id, region)
    name = name.strip()
    if not name or shown_phone(name, region) == number:
        return number
    return f"{name} ({number})" if number else name


def _person(row: Mapping[str, Any]) -> dict[str, Any]:
    """A member as templates see it: name and this cycle's figures (0 when unknown)."""

    def count(name: str) -> int:
        value = row.get(name)
        return 0 if value is None or math.isnan(value) else int(value)

    score = row.get("score")
    score = 0.0 if score is None or math.isnan(score) else float(score)
    return {
        "name": str(row["name"]),
        "group": str(row.get("group") or row.get("from_group") or ""),
        "from_group": str(row.get("from_group") or ""),
        "to_group": str(row.get("to_group") or ""),
        "reason": str(row.get("reason") or ""),
        "score": int(score) if score.is_integer() else round(score, 1),
        "messages": count("messages"),
        "active_days": count("active_days"),
        "content": count("content"),
        "invites": count("invites"),
        "rank": count("rank"),
    }
