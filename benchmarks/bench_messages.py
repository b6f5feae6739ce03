"""Time rendering every message of one cycle of a large community against plain `str.format`.

The community: 50,000 members in the playbook's three groups, a 30-day cycle,
about 2,000 moves (mostly members moved down, a few promotions, returns,
rewards and KOL suggestions), 500 newcomers to welcome and a weekly topic per
group. Everything is built in memory from a seeded RNG as the typed tables
`load_community` returns, and the moves as `plan_cycle` returns them, so
neither file I/O nor the tier rules are measured.

Printed, in one run:

- bundled: `compose_outbox` with the shipped templates (contexts, rendering,
  duplicate check, warnings), every run and the best; then the same with the
  templates already compiled (a run compiles them once: the difference);
- sandboxed: the same with every template given as a manager's override, so
  each message renders in the guarded sandbox;
- floor: the same number of messages of the same lengths made with
  `str.format`, every run and the best;
- the ratios to the floor;
- per language: the bundled run again in each bundled language (the
  community's `language` set to it, a fresh renderer each run), the best time
  of each (the target is under 0.5 s each). Like every benchmark here it never
  fails on time.

    python benchmarks/bench_messages.py
    python benchmarks/bench_messages.py --members 5000 --moves 200 --repeat 5
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd

from grouptier.community import Community
from grouptier.messages import Override, Renderer, languages, templates_root
from grouptier.outbox import Outbox, compose_outbox, read_messages
from grouptier.schedule import cycle_window
from grouptier.settings import Settings
from grouptier.tiers import LEADERBOARD_COLUMNS, MOVE_COLUMNS, CyclePlan

ANCHOR = date(2026, 1, 1)
CYCLE_DAYS = 30
CYCLE = 3
GROUPS = ("Core", "General", "Retention")
NAMES = ("Amira Haddad", "刘强", "Tolu 🌸", "Priya Reddy", "نور الشريف", "Kristine Santos", "Emeka")


def build(members: int, moves: int, newcomers: int, seed: int = 7) -> tuple[Community, CyclePlan]:
    """A community of `members` and a cycle plan with `moves` moves."""
    rng = random.Random(seed)
    window = cycle_window(ANCHOR, CYCLE_DAYS, CYCLE)
    ids = [f"+4470{n:08d}" for n in range(members)]
    sizes = {"Core": members // 20, "General": members * 3 // 4}
    groups_of = ["Core"] * sizes["Core"] + ["General"] * sizes["General"]
    groups_of += ["Retention"] * (members - len(groups_of))
    roles = ["executive", "assistant", "designer", "diplomat"] * 5 + [""] * (members - 20)
    joined = [
        window.end - timedelta(days=rng.randrange(CYCLE_DAYS))
        if n >= members - newcomers
        else date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        for n in range(members)
    ]
    table = pd.DataFrame(
        {
            "member_id": ids,
            "name": [f"{rng.choice(NAMES)} {n}" for n in range(members)],
            "group": groups_of,
            "role": roles,
            "joined_on": joined,
            "motivation": "",
            "kol": False,
            "locked": False,
            "extra_groups": [()] * members,
            "status": ["left" if n % 97 == 0 else "active" for n in range(members)],
            "sheet_row": range(2, members + 2),
        }
    )
    groups = pd.DataFrame(
        {
            "name": GROUPS,
            "level": [1, 2, 3],
            "capacity": [1024] * 3,
            "promote_top": [None, 3, None],
            "promote_min_score": [0, 0, 0],
            "demote_bottom": [None, 10, None],
            "demote_max_score": [0, 0, 0],
            "min_size": [0, 0, 0],
            "invite_link": [f"https://chat.whatsapp.com/Bench{name}" for name in GROUPS],
            "sheet_row": [2, 3, 4],
        }
    )
    topics = pd.DataFrame(
        [
            {
                "week_of": window.end + timedelta(days=1 + 7 * week),
                "group": group,
                "title": f"Topic {week} for {group}",
                "prompt": "What worked for you, and what did not?",
                "host": table["name"].iloc[week % 20],
                "sheet_row": 2 + week,
            }
            for week in range(4)
            for group in GROUPS
        ]
    )
    settings = Settings(cycle_anchor=ANCHOR, cycle_days=CYCLE_DAYS)
    empty = pd.DataFrame()
    community = Community(settings, groups, table, empty, empty, topics, empty, empty)
    return community, plan_of(table, window, moves, rng)


def plan_of(members: pd.DataFrame, window: Any, count: int, rng: random.Random) -> CyclePlan:
    """`count` moves shaped like a real cycle's, and a leaderboard of every member."""
    kinds = ["promote"] * (count * 3 // 100) + ["return"] * (count * 6 // 100)
    kinds += ["reward"] * 2 + ["suggest_kol"] * (count // 100)
    kinds += ["demote"] * max(count - len(kinds), 0)
    where = {"promote": ("General", "Core"), "demote": ("General", "Retention")}
    where |= {"return": ("Retention", "General"), "reward": ("General", "Core")}
    where |= {"suggest_kol": ("General", "")}
    active = members[members["status"] != "left"]  # the rules never move a member who left
    picked = active.sample(n=len(kinds), random_state=rng.randrange(1000))
    rows = []
    for kind, member in zip(kinds, picked.itertuples(), strict=True):
        source, target = where[kind]
        reason = f"{kind}: score {rng.randrange(100)} (40 messages on 9 days, 1 content post)"
        rows.append(
            (CYCLE, member.member_id, member.name, source, target, kind, 42.0, 7, reason, 2)
        )
    moves = pd.DataFrame(rows, columns=MOVE_COLUMNS)
    board = members[["member_id", "name", "group"]].copy()
    board["cycle"], board["rank"], board["outcome"], board["note"] = CYCLE, 1, "stays", ""
    for column in ("score", "messages", "messages_counted", "active_days", "content", "invites"):
        board[column] = [rng.randrange(30) for _ in range(len(board))]
    return CyclePlan(window, moves, board[LEADERBOARD_COLUMNS], ())


def as_overrides() -> list[Override]:
    """Every shipped template, given back as a manager's override (so it renders sandboxed)."""
    folder = templates_root() / "en"
    return [
        Override(path.stem, "", path.read_text(encoding="utf-8"), f"C{row}")
        for row, path in enumerate(sorted(folder.glob("*.j2")), start=2)
    ]


def floor(outbox: Outbox) -> Callable[[], list[str]]:
    """`str.format` of as many messages as `outbox` has, each as long as the real one."""
    opening = "Hello {name}, welcome to {group}! "
    shapes = [opening + "x" * max(len(str(row["text"])) - 40, 0) for row in outbox.rows]
    values = [(str(row["member_id"]), str(row["group"])) for row in outbox.rows]

    def make() -> list[str]:
        return [
            shape.format(name=name, group=group)
            for shape, (name, group) in zip(shapes, values, strict=True)
        ]

    return make


def per_language(
    community: Community, plan: CyclePlan, today: date, existing: pd.DataFrame, repeat: int
) -> dict[str, float]:
    """The best time to compose the cycle's messages in each bundled language.

    The languages take turns within each round, so a busy machine slows them alike.
    """
    composers = {}
    for language in languages():
        settings = dataclasses.replace(community.settings, language=language)
        local = dataclasses.replace(community, settings=settings)

        def compose(local: Community = local, language: str = language) -> Outbox:
            return compose_outbox(local, existing, [plan], today, Renderer(language))

        composers[language] = compose
    best = dict.fromkeys(composers, math.inf)
    for _ in range(repeat):
        for language, compose in composers.items():
            times, _ = timed(compose, 1)
            best[language] = min(best[language], times[0])
    return best


def timed(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def show(label: str, times: list[float]) -> None:
    runs = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"{label:<11} best {min(times) * 1000:8.1f} ms   runs (ms): {runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--moves", type=int, default=2_000)
    parser.add_argument("--newcomers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    community, plan = build(args.members, args.moves, args.newcomers)
    today = plan.window.end + timedelta(days=1)
    existing = read_messages(None)

    def bundled() -> Outbox:
        return compose_outbox(community, existing, [plan], today, Renderer())

    warm_renderer = Renderer()
    compose_outbox(community, existing, [plan], today, warm_renderer)

    def warm() -> Outbox:
        return compose_outbox(community, existing, [plan], today, warm_renderer)

    def sandboxed() -> Outbox:
        return compose_outbox(
            community, existing, [plan], today, Renderer(overrides=as_overrides())
        )

    bundled_times, outbox = timed(bundled, args.repeat)
    warm_times, _ = timed(warm, args.repeat)
    sandbox_times, sandboxed_outbox = timed(sandboxed, args.repeat)
    floor_times, texts = timed(floor(outbox), args.repeat)
    assert [r["text"] for r in sandboxed_outbox.rows] == [r["text"] for r in outbox.rows]

    kinds = pd.Series([r["kind"] for r in outbox.rows]).value_counts().to_dict()
    characters = sum(len(str(r["text"])) for r in outbox.rows)
    print(
        f"{args.members:,} members, {len(plan.moves):,} moves, "
        f"{CYCLE_DAYS} days x {len(GROUPS)} groups: {len(outbox.rows):,} messages, "
        f"{characters:,} characters, {len(outbox.warnings)} warnings"
    )
    print("  by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    show("bundled", bundled_times)
    show("  compiled", warm_times)
    show("sandboxed", sandbox_times)
    show("str.format", floor_times)
    base, count = min(floor_times), len(outbox.rows)
    per = {
        "bundled": min(bundled_times),
        "compiled": min(warm_times),
        "sandboxed": min(sandbox_times),
        "str.format": base,
    }
    print("per message: " + ", ".join(f"{k} {t / count * 1e6:.1f} µs" for k, t in per.items()))
    print(
        "ratio to the str.format floor: "
        + ", ".join(f"{k} {t / base:.0f}x" for k, t in per.items() if k != "str.format")
    )
    assert len(texts) == count
    best = per_language(community, plan, today, existing, args.repeat)
    print(
        f"per language, bundled, best of {args.repeat} (target < 0.5 s each): "
        + ", ".join(f"{language} {t:.2f} s" for language, t in best.items())
    )


if __name__ == "__main__":
    main()
