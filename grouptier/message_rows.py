"""One Messages row while a run composes it: the context every message shares, and who it is for.

`Composer` holds what every kind of message needs (the community, today, the
cycle today is in, the renderer, the groups as templates see them) and turns
a kind, a group and a context into a draft row. The kinds themselves are
composed in `welcomes`, `rituals`, `move_messages`, `staff_digest` and
`nudges`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from grouptier.cells import CellValue
from grouptier.locales import full_date, weekday_name, words_date
from grouptier.message_people import group_infos, recipient

if TYPE_CHECKING:  # they import `messages`, which checks overrides against `shared_context`
    from grouptier.community import Community
    from grouptier.messages import Renderer
    from grouptier.schedule import Window

STAFF_GROUP = "staff"  # the `group` of messages meant for the managers, not for a group
PRIVATE_KINDS = ("retention_notice", "reward", "nudge")  # sent to the member, not posted
MANAGERS = "managers"  # the `to` of the staff digest

Record = dict[str, CellValue]
Draft = dict[str, Any]  # a message row while it is composed: a Record plus `named`


class Composer:
    """Builds the rows of one run's messages: shared context, language, recipient."""

    def __init__(
        self, community: Community, today: date, renderer: Renderer, current: Window
    ) -> None:
        self.community = community
        self.settings = community.settings
        self.today = today
        self.renderer = renderer
        self.groups = group_infos(community.groups, community.members)
        self.current = current  # the cycle `today` is in
        self.ladder = sorted(self.groups.values(), key=lambda g: (g["level"], g["order"]))

    @property
    def region(self) -> str:
        """The `phone_region` setting, to tell a phone number written in a name."""
        return self.settings.phone_region

    def row(
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
        """The draft row of message `kind` for `group` on `day`, its text rendered.

        `named` holds the sheet's names the text may contain, to warn about a
        member who left; the first is the recipient of a private message.
        """
        language = self.language_of(group)
        text = self.renderer.render(kind, group, {**self.base(day, language), **context}, language)
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

    def base(self, day: date, language: str) -> dict[str, Any]:
        """What every message may use: the day, the cycle today is in, the ladder."""
        current, days = self.current, self.settings.cycle_days
        return shared_context(day, language, (current.cycle, current.end, days), self.ladder)

    def language_of(self, group: str) -> str:
        """The language of `group`'s messages: its own, else the community's (the digest's)."""
        info = self.groups.get(group)
        return str(info["language"]) if info and info["language"] else self.settings.language

    def _to(self, group: str, kind: str, member_id: str, named: Iterable[str]) -> str:
        """Who a message is for: `Zeca García (+55 11 90040-3869)`, the managers, or the group."""
        if kind in PRIVATE_KINDS:
            return recipient(next(iter(named), ""), member_id, self.region)
        return MANAGERS if group == STAFF_GROUP else group


def shared_context(
    day: date, language: str, cycle: tuple[int, date, int], ladder: list[dict[str, Any]]
) -> dict[str, Any]:
    """The variables every message has: its day, the current cycle, the groups in order.

    `cycle` is the current cycle's number, last day and length in days.
    """
    number, end, cycle_days = cycle
    return {
        "language": language,
        "date": day.isoformat(),
        "date_text": full_date(day, language),
        "weekday": weekday_name(day, language),
        "weekday_number": day.weekday(),
        "cycle": number,
        "cycle_days": cycle_days,
        "cycle_end": end.isoformat(),
        "cycle_end_text": words_date(end, language),
        "ladder": ladder,
    }
