"""The daily rituals of a processed cycle: good mornings and weekly topics.

A good morning per group per day from today to the end of the current
cycle (the template picks a different greeting each day, and the bottom
group's own quieter list), and each weekly topic on its first day, in its
group or in every group when the topic names none.
"""

from __future__ import annotations

from datetime import date, timedelta

from grouptier.locales import words_date
from grouptier.message_rows import Composer, Draft


def ritual_messages(composer: Composer) -> list[Draft]:
    """Good mornings and weekly topics from today to the end of the current cycle."""
    first, last = max(composer.today, composer.current.start), composer.current.end
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    rows = []
    for day in days:
        day_index = (day - composer.current.start).days
        for group_index, group in enumerate(composer.ladder):
            context = {
                "group": group,
                "day_index": day_index,
                "group_index": group_index,
                "day_number": day_index + 1,
            }
            rows.append(composer.row(day, group["name"], "good_morning", "", context))
    return rows + _topics(composer, first, last)


def _topics(composer: Composer, first: date, last: date) -> list[Draft]:
    rows = []
    for topic in composer.community.topics.to_dict("records"):
        week_of = topic["week_of"]
        if not isinstance(week_of, date) or not first <= week_of <= last:
            continue
        targets = [composer.groups[topic["group"]]] if topic["group"] else composer.ladder
        info = {
            "title": topic["title"],
            "prompt": topic["prompt"],
            "host": topic["host"],
            "week_of": week_of.isoformat(),
        }
        for group in targets:
            spoken = words_date(week_of, composer.language_of(group["name"]))
            context = {"group": group, "topic": {**info, "week_of_text": spoken}}
            named = [str(topic["host"])] if topic["host"] else []
            rows.append(
                composer.row(week_of, group["name"], "weekly_topic", "", context, named=named)
            )
    return rows
