"""Count whiplash (moved one way and back within two cycles) under the old and the new tier rules.

A seeded community of 3,000 members lives through 24 cycles of noisy
activity. Each member follows one of five patterns, drawn once:

- steady: active most days, every cycle;
- bursty: a busy cycle now and then, otherwise little or nothing;
- fading: active until a cycle of their own, then less each cycle until silent for good;
- breaks: active, but now and then silent for 1 to 3 whole cycles, then back;
- quiet: a message once in a long while (most of Retention).

A trickle of newcomers joins General on days inside a cycle, with the same
mix of patterns. Every member's activity, day by day, is drawn before the
first cycle, so both rule sets see exactly the same behaviour; only the
groups they put people in differ.

The same simulation runs twice, each in a subprocess of its own:

- old rules: `grouptier` at commit ab2dea3 (main before issue 12), taken out
  of git into a temporary folder that leads `PYTHONPATH`; this is the baseline;
- new rules: the working tree's `grouptier`.

Each cycle goes through the public path a real run takes: the sheet is built
as a `RawWorkbook` (Settings from `starter_settings`, the playbook's groups
from `starter_groups` split into parallel General and Retention groups of at
most 1,024, Members, Activity of the cycle and the one before it, History
holding each member's last active cycle before that, Runs, and Moves with
every move so far), `load_community` reads it, `plan_cycles` decides the
cycle, and `apply_moves` gives the members their new groups for the next
cycle. The old `plan_cycles` takes cycle numbers, the new one windows; the
signature says which.

Printed per rule set: promotions, demotions, returns, rewards, reversals
(promoted or returned, then demoted within 2 cycles; or demoted, then
returned or promoted within 2 cycles), the groups' sizes at the end and the
seconds the run took; then the new rules' change against the old in % and
whether issue 12's targets are met (at least 50% fewer reversals, promotions
within 10% of the old rules). Like every benchmark here it never fails on
its figures.

    python benchmarks/bench_fairness.py [--seed N] [--members N] [--cycles N]
"""

from __future__ import annotations

import argparse
import inspect
import io
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OLD_COMMIT = "ab2dea3"
ANCHOR = date(2026, 1, 1)
CYCLE_DAYS = 15  # the starter settings' cycle length; checked against them in each run
REVERSAL_CYCLES = 2  # a move undone at most this many cycles later is a reversal
TARGET_FEWER_REVERSALS = 0.50
TARGET_PROMOTION_DRIFT = 0.10

PROFILES = ("steady", "bursty", "fading", "breaks", "quiet")
PROFILE_SHARES = (0.25, 0.15, 0.10, 0.15, 0.35)
# Per profile: the median rate of active days per day (about the chance of posting on a
# given day) and its spread across members (log sd).
DAILY_RATE = ((0.35, 0.6), (0.25, 0.6), (0.30, 0.5), (0.30, 0.5), (0.001, 0.8))
NOISE_SD = 0.5  # each member's rate wobbles from cycle to cycle by this log sd
BURST_CHANCE, BURST_LIFT, LULL = 0.30, 3.0, 0.12  # bursty: chance of a busy cycle, its lift, else
BREAK_CHANCE = 0.15  # breaks: chance a break of 1-3 cycles starts in a cycle
FADE_CYCLES = (2, 5)  # fading: cycles from the first drop to silence, fewest and most
NEWCOMER_SHARE = 0.002  # newcomers per cycle, as a share of the starting members
LEVEL_SHARES = (0.05, 0.55)  # Core and General at the start; Retention holds the rest
GROUP_FILL = 600  # members per parallel group at the start (WhatsApp's limit is 1,024)
MEMBER_COLUMNS = ["member_id", "name", "group", "joined_on", "extra_groups"]
ACTIVITY_COLUMNS = ["date", "member_id", "group", "messages", "content", "invites", "source"]
DAILY_CAP = 50  # the starter settings' daily_message_cap, for History's messages_counted
UP, DOWN = 1, -1
DIRECTION = {"promote": UP, "return": UP, "demote": DOWN}


# -- the community's behaviour (numpy only: the same for both rule sets) -----------------------


@dataclass(frozen=True)
class Behaviour:
    """Who the members are and what each does on every day of the simulation.

    Day 0 is the first day of the cycle before cycle 1 (cycle k covers days
    k*CYCLE_DAYS to (k+1)*CYCLE_DAYS - 1). Newcomers follow the starting
    members, in the order they join.
    """

    starting: int
    profile: np.ndarray  # index into PROFILES
    joined_on: list[date]
    join_day: np.ndarray  # day number joined (newcomers), -1 for starting members
    level: np.ndarray  # starting level (1, 2, 3), 2 for newcomers
    messages: np.ndarray  # [member, day]
    content: np.ndarray  # [member, day]
    invites: np.ndarray  # [member, day]

    @property
    def size(self) -> int:
        """Starting members and newcomers."""
        return len(self.profile)

    def present(self, cycle: int) -> int:
        """How many members (a prefix of all of them) have joined by the end of `cycle`."""
        return self.starting + int(np.count_nonzero(self.join_day[self.starting :] < _end(cycle)))


def _end(cycle: int) -> int:
    """The day number after the last day of `cycle`."""
    return (cycle + 1) * CYCLE_DAYS


def build_behaviour(seed: int, members: int, cycles: int) -> Behaviour:
    """Members, newcomers and every day's activity, drawn from one seeded generator."""
    rng = np.random.default_rng(seed)
    join_day = _newcomer_days(members, cycles, rng)
    total = members + len(join_day)
    profile = rng.choice(len(PROFILES), size=total, p=PROFILE_SHARES)
    median, spread = (np.array(column)[profile] for column in zip(*DAILY_RATE, strict=True))
    base = median * rng.lognormal(0.0, spread)
    rate = base[:, None] * _multipliers(profile, cycles, rng)
    rate *= rng.lognormal(0.0, NOISE_SD, rate.shape)
    daily = np.repeat(np.minimum(rate, 5.0), CYCLE_DAYS, axis=1)
    active = rng.random(daily.shape) < -np.expm1(-daily)
    all_join_days = np.concatenate([np.full(members, -1), join_day])
    active &= np.arange(daily.shape[1])[None, :] >= all_join_days[:, None]
    per_day = rng.lognormal(np.log(2.0), 0.7, total)
    messages = np.where(active, 1 + rng.poisson(per_day[:, None], daily.shape), 0)
    content_chance = np.minimum(rng.lognormal(np.log(0.03), 0.8, total), 0.5)
    content = active & (rng.random(daily.shape) < content_chance[:, None])
    invites = active & (rng.random(daily.shape) < 0.01)
    first_day = ANCHOR - timedelta(days=CYCLE_DAYS)
    joined = [ANCHOR - timedelta(days=int(d)) for d in rng.integers(30, 730, members)]
    joined += [first_day + timedelta(days=int(d)) for d in join_day]
    level = _starting_levels(base * rng.lognormal(0.0, 0.3, total), members)
    return Behaviour(
        members,
        profile,
        joined,
        all_join_days,
        level,
        messages.astype(np.int32),
        content.astype(np.int32),
        invites.astype(np.int32),
    )


def _newcomer_days(members: int, cycles: int, rng: np.random.Generator) -> np.ndarray:
    """Join days of the newcomers, in order: a Poisson number per cycle, on random days of it."""
    counts = rng.poisson(NEWCOMER_SHARE * members, cycles)
    days = [
        rng.integers(_end(cycle - 1), _end(cycle), count)
        for cycle, count in enumerate(counts, start=1)
    ]
    return np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *days]))


def _multipliers(profile: np.ndarray, cycles: int, rng: np.random.Generator) -> np.ndarray:
    """Each member's activity multiplier in cycles 0..cycles, from their pattern."""
    n, width = len(profile), cycles + 1
    lift = np.ones((n, width))
    bursty = profile == PROFILES.index("bursty")
    busy = rng.random((n, width)) < BURST_CHANCE
    lift[bursty] = np.where(busy[bursty], BURST_LIFT, LULL)
    fading = profile == PROFILES.index("fading")
    first_drop = rng.integers(1, max(cycles - 1, 2), n)
    length = rng.integers(FADE_CYCLES[0], FADE_CYCLES[1] + 1, n)
    since = np.arange(width)[None, :] - first_drop[:, None] + 1
    lift[fading] = np.clip(1 - since / length[:, None], 0, 1)[fading]
    breaks = profile == PROFILES.index("breaks")
    left = np.zeros(n, dtype=np.int64)
    for cycle in range(width):
        starts = (left == 0) & (rng.random(n) < BREAK_CHANCE)
        left = np.where(starts, rng.integers(1, 4, n), left)
        lift[breaks & (left > 0), cycle] = 0
        left = np.maximum(left - 1, 0)
    return lift


def _starting_levels(standing: np.ndarray, starting: int) -> np.ndarray:
    """Level 1 for the most active few, 2 for the next, 3 for the rest; newcomers 2."""
    level = np.full(len(standing), 2)
    order = np.argsort(-standing[:starting], kind="stable")
    core = round(LEVEL_SHARES[0] * starting)
    general = round(LEVEL_SHARES[1] * starting)
    level[order[:core]] = 1
    level[order[core + general :]] = 3
    return level


def group_plan(behaviour: Behaviour) -> list[tuple[int, str, int]]:
    """(level, name, starting members) of each group: parallel groups of at most GROUP_FILL."""
    plan = []
    for level, label in ((1, "Core"), (2, "General"), (3, "Retention")):
        count = int(np.count_nonzero(behaviour.level[: behaviour.starting] == level))
        number = 1 if level == 1 else max(1, math.ceil(count / GROUP_FILL))
        for index in range(number):
            name = label if number == 1 else f"{label} {chr(ord('A') + index)}"
            plan.append((level, name, count // number + (index < count % number)))
    return plan


# -- one run of the rules (in a subprocess: `grouptier` is whichever PYTHONPATH finds) ---------


@dataclass
class _Seconds:
    build: float = 0.0
    load: float = 0.0
    plan: float = 0.0


@dataclass
class Simulation:
    """The community as the rules left it so far, and every move they made."""

    behaviour: Behaviour
    cycles: int
    lib: dict[str, Any]
    groups: list[dict[str, Any]] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    extras: list[tuple[str, ...]] = field(default_factory=list)
    group_at: dict[int, list[str]] = field(default_factory=dict)
    moves: list[tuple[int, int, str]] = field(default_factory=list)
    move_rows: list[dict[str, Any]] = field(default_factory=list)
    run_rows: list[dict[str, Any]] = field(default_factory=list)
    seconds: _Seconds = field(default_factory=_Seconds)

    def __post_init__(self) -> None:
        b = self.behaviour
        self.ids = [f"+44791{i:07d}" for i in range(b.size)]
        self.index = {member_id: i for i, member_id in enumerate(self.ids)}
        self.days = [ANCHOR + timedelta(days=d - CYCLE_DAYS) for d in range(_end(self.cycles))]
        by_cycle = b.messages.reshape(b.size, -1, CYCLE_DAYS)
        self.active_cycles = (by_cycle > 0).any(axis=2)
        self.groups, self.group = self._starting_groups()
        self.extras = [()] * b.starting

    def _starting_groups(self) -> tuple[list[dict[str, Any]], list[str]]:
        b = self.behaviour
        templates = {int(g["level"]): g for g in self.lib["starter_groups"]()}
        plan = group_plan(b)
        general = sum(1 for level, _, _ in plan if level == 2)
        promote_top = int(templates[2].get("promote_top") or 0)
        groups, names_by_level = [], {}
        for level, name, size in plan:
            row = {**templates[level], "name": name, "min_size": 0}
            if level == 1:  # room for every promotion the run can make
                row["capacity"] = min(1024, size + promote_top * general * self.cycles)
            groups.append(row)
            names_by_level.setdefault(level, []).append(name)
        seat = Counter()
        group = []
        for level in b.level[: b.starting].tolist():
            names = names_by_level[level]
            group.append(names[seat[level] % len(names)])
            seat[level] += 1
        return groups, group

    def run(self) -> None:
        """Every cycle in turn."""
        for cycle in range(1, self.cycles + 1):
            self.step(cycle)

    def step(self, cycle: int) -> None:
        """Build the sheet for `cycle`, plan it, apply its moves."""
        start = time.perf_counter()
        self._admit_newcomers(cycle)
        self.group_at[cycle] = list(self.group)
        workbook = self.workbook(cycle)
        built = time.perf_counter()
        community = self.lib["load_community"](workbook)
        loaded = time.perf_counter()
        settings = community.settings
        if settings.cycle_days != CYCLE_DAYS:
            raise RuntimeError(f"starter cycle_days is {settings.cycle_days}, not {CYCLE_DAYS}")
        plans, _ = self.lib["plan_cycles"](community, [self.lib["cycle_argument"](cycle)])
        planned = time.perf_counter()
        moves = plans[0].moves
        after = self.lib["apply_moves"](community.members, moves)
        for member_id, group, extras in zip(
            after["member_id"], after["group"], after["extra_groups"], strict=True
        ):
            at = self.index[member_id]
            self.group[at], self.extras[at] = str(group), tuple(extras)
        self._record(cycle, moves)
        self.seconds.build += built - start
        self.seconds.load += loaded - built
        self.seconds.plan += planned - loaded

    def _admit_newcomers(self, cycle: int) -> None:
        """Newcomers who joined during `cycle` take a seat in the General group with most room."""
        for _ in range(len(self.group), self.behaviour.present(cycle)):
            seats = Counter(self.group)
            seats.update(name for extras in self.extras for name in extras)
            general = [g for g in self.groups if int(g["level"]) == 2]
            best = max(general, key=lambda g: int(g["capacity"]) - seats[g["name"]])
            self.group.append(str(best["name"]))
            self.extras.append(())

    def _record(self, cycle: int, moves: Any) -> None:
        window = self._window(cycle)
        run_at = f"{window[1] + timedelta(days=1):%Y-%m-%d} 06:00:00"
        for move in moves.to_dict("records"):
            self.moves.append((cycle, self.index[move["member_id"]], str(move["kind"])))
            row = {key: _plain(value) for key, value in move.items() if key != "sheet_row"}
            self.move_rows.append({**row, "run_at": run_at, "done": ""})
        self.run_rows.append(
            {
                "run_id": f"sim{cycle:03d}",
                "cycle": cycle,
                "started_at": run_at,
                "finished_at": run_at,
                "trigger": "schedule",
                "status": "done",
                "summary": f"{len(moves)} moves",
                "error": "",
                "window_start": f"{window[0]:%Y-%m-%d}",
                "window_end": f"{window[1]:%Y-%m-%d}",
            }
        )

    @staticmethod
    def _window(cycle: int) -> tuple[date, date]:
        start = ANCHOR + timedelta(days=(cycle - 1) * CYCLE_DAYS)
        return start, start + timedelta(days=CYCLE_DAYS - 1)

    # -- the sheet of one cycle --------------------------------------------------------------

    def workbook(self, cycle: int) -> Any:
        """The tabs a run of `cycle` reads, as the package's own RawWorkbook."""
        lib = self.lib
        specs = lib["specs"]
        settings = [[row["setting"], row["value"], row.get("notes")] for row in lib["settings"]]
        tabs = {
            "Settings": [["setting", "value", "notes"], *settings],
            "Groups": _cells(specs["Groups"], self.groups),
            "Members": [MEMBER_COLUMNS, *self._member_rows()],
            "Activity": [ACTIVITY_COLUMNS, *self._activity_rows(cycle)],
            "History": _cells(specs["History"], self._history_rows(cycle)),
            "Topics": [list(specs["Topics"])],
            "Runs": _cells(specs["Runs"], self.run_rows),
            "Moves": _cells(specs["Moves"], self.move_rows),
        }
        raw_tab, raw_workbook = lib["RawTab"], lib["RawWorkbook"]
        return raw_workbook({name: raw_tab(name, rows) for name, rows in tabs.items()})

    def _member_rows(self) -> list[list[Any]]:
        joined = self.behaviour.joined_on
        # `ids` also holds the newcomers still to come; zip stops at the members present.
        return [
            [member_id, f"Member {i + 1}", group, joined[i], ", ".join(extras)]
            for i, (member_id, group, extras) in enumerate(
                zip(self.ids, self.group, self.extras, strict=False)
            )
        ]

    def _activity_rows(self, cycle: int) -> list[list[Any]]:
        """One row per member and active day of `cycle` and the cycle before it."""
        b = self.behaviour
        first, stop = _end(cycle - 2), _end(cycle)
        present = len(self.group)
        who, day = np.nonzero(b.messages[:present, first:stop])
        day += first
        groups = {k: self.group_at.get(k, self.group_at[cycle]) for k in (cycle - 1, cycle)}
        return [
            [
                self.days[d],
                self.ids[m],
                groups[d // CYCLE_DAYS][m],
                int(b.messages[m, d]),
                int(b.content[m, d]),
                int(b.invites[m, d]),
                f"export {groups[d // CYCLE_DAYS][m]}",
            ]
            for m, d in zip(who.tolist(), day.tolist(), strict=True)
        ]

    def _history_rows(self, cycle: int) -> list[dict[str, Any]]:
        """Each member's last active cycle before the Activity rows, rolled up as History holds it.

        A real History keeps every older cycle; only the latest active one can
        matter to a rule (when a member was last heard from), so only it is kept
        and each load stays small.
        """
        if cycle < 3:
            return []
        b = self.behaviour
        present = len(self.group)
        older = self.active_cycles[:present, 1 : cycle - 1]
        heard = older.any(axis=1)
        last = older.shape[1] - np.argmax(older[:, ::-1], axis=1)  # a cycle number, from 1
        rows = []
        for m in np.flatnonzero(heard).tolist():
            k = int(last[m])
            days = slice(_end(k - 1), _end(k))
            messages = b.messages[m, days]
            start, end = self._window(k)
            rows.append(
                {
                    "cycle": k,
                    "window_start": f"{start:%Y-%m-%d}",
                    "window_end": f"{end:%Y-%m-%d}",
                    "member_id": self.ids[m],
                    "group": self.group_at[k][m] if m < len(self.group_at[k]) else self.group[m],
                    "messages": int(messages.sum()),
                    "messages_counted": int(np.minimum(messages, DAILY_CAP).sum()),
                    "active_days": int(np.count_nonzero(messages)),
                    "content": int(b.content[m, days].sum()),
                    "invites": int(b.invites[m, days].sum()),
                    "rows": int(np.count_nonzero(messages)),
                }
            )
        return rows

    # -- the figures --------------------------------------------------------------------------

    def result(self) -> dict[str, Any]:
        """What the parent prints: moves by kind, reversals, sizes, seconds."""
        levels = {str(g["name"]): int(g["level"]) for g in self.groups}
        sizes = Counter(levels[name] for name in self.group)
        return {
            "moves": dict(Counter(kind for _, _, kind in self.moves)),
            "reversals": count_reversals(self.moves),
            "sizes": {str(level): sizes[level] for level in sorted(sizes)},
            "members": len(self.group),
            "seconds": vars(self.seconds),
        }


def count_reversals(moves: list[tuple[int, int, str]]) -> dict[str, int]:
    """Moves that undo the member's previous move within REVERSAL_CYCLES cycles, by direction."""
    last: dict[int, tuple[int, int]] = {}
    counts = {"up_then_down": 0, "down_then_up": 0}
    for cycle, member, kind in sorted(moves):
        direction = DIRECTION.get(kind)
        if direction is None:
            continue
        before = last.get(member)
        if before and before[1] != direction and cycle - before[0] <= REVERSAL_CYCLES:
            counts["up_then_down" if direction == DOWN else "down_then_up"] += 1
        last[member] = (cycle, direction)
    return counts


def _cells(headers: list[str], records: list[dict[str, Any]]) -> list[list[Any]]:
    return [list(headers)] + [[record.get(name) for name in headers] for record in records]


def _plain(value: Any) -> Any:
    """A cell value: numpy scalars as Python numbers, missing values blank."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _library() -> dict[str, Any]:
    """The parts of whichever `grouptier` is first on the path that the simulation uses."""
    import grouptier
    from grouptier import sheet
    from grouptier.community import load_community
    from grouptier.cycle import apply_moves, plan_cycles
    from grouptier.schedule import cycle_window
    from grouptier.settings import starter_settings
    from grouptier.starter import starter_groups

    second = list(inspect.signature(plan_cycles).parameters.values())[1]
    takes_windows = "window" in second.name.lower() or "Window" in str(second.annotation)

    def cycle_argument(cycle: int) -> Any:
        return cycle_window(ANCHOR, CYCLE_DAYS, cycle) if takes_windows else cycle

    return {
        "path": str(Path(grouptier.__file__).parent),
        "api": "windows" if takes_windows else "cycle numbers",
        "load_community": load_community,
        "plan_cycles": plan_cycles,
        "apply_moves": apply_moves,
        "cycle_argument": cycle_argument,
        "settings": starter_settings(ANCHOR),
        "starter_groups": starter_groups,
        "RawTab": sheet.RawTab,
        "RawWorkbook": sheet.RawWorkbook,
        "specs": {
            spec.name: spec.headers
            for spec in (sheet.GROUPS, sheet.HISTORY, sheet.TOPICS, sheet.RUNS, sheet.MOVES)
        },
    }


def simulate(seed: int, members: int, cycles: int) -> dict[str, Any]:
    """Run the whole simulation with the `grouptier` on the path; the figures as a dict."""
    start = time.perf_counter()
    lib = _library()
    behaviour = build_behaviour(seed, members, cycles)
    simulation = Simulation(behaviour, cycles, lib)
    simulation.run()
    result = simulation.result()
    result.update(grouptier=lib["path"], api=lib["api"], total=time.perf_counter() - start)
    return result


# -- the parent: fetch the old rules, run both, print ------------------------------------------


@dataclass(frozen=True)
class Contender:
    """One rule set: its label, what it is, and the folder that leads PYTHONPATH."""

    label: str
    description: str
    path: Path


def old_rules(folder: Path) -> tuple[Contender | None, str]:
    """The baseline, `grouptier` at OLD_COMMIT, unpacked into `folder`; or why it is missing."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", OLD_COMMIT, "grouptier"],
            capture_output=True,
            check=False,
        )
    except OSError as error:
        return None, f"git is not available ({error.strerror})"
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        return None, f"git archive {OLD_COMMIT} failed: {reason[-1] if reason else 'no reason'}"
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return Contender("old", f"grouptier at {OLD_COMMIT} (main before issue 12)", folder), ""


def new_rules() -> Contender:
    """The working tree's `grouptier`, described by its commit and uncommitted files."""
    head = _git("rev-parse", "--short", "HEAD")
    if not head:
        return Contender("new", f"grouptier in the working tree {REPO}", REPO)
    changed = _git("status", "--porcelain", "--", "grouptier")
    files = len(changed.splitlines()) if changed else 0
    state = f"uncommitted changes in {files} files" if files else "no uncommitted changes"
    return Contender("new", f"grouptier in the working tree (HEAD {head}, {state})", REPO)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def run_contenders(
    contenders: list[Contender], args: argparse.Namespace, scratch: Path
) -> dict[str, dict[str, Any]]:
    """Run each rule set in a subprocess of its own, all at once; their figures or errors."""
    started = {}
    for contender in contenders:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(contender.path), os.environ.get("PYTHONPATH")])
        )
        out = (scratch / f"{contender.label}.out").open("w+")
        err = (scratch / f"{contender.label}.err").open("w+")
        command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
        command += ["--seed", str(args.seed), "--members", str(args.members)]
        command += ["--cycles", str(args.cycles)]
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=scratch)
        started[contender.label] = (process, out, err, time.perf_counter())
    results = {}
    for label, (process, out, err, began) in started.items():
        code = process.wait()
        wall = time.perf_counter() - began
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if code == 0 and lines:
            results[label] = {**json.loads(lines[-1]), "wall": wall}
        else:
            tail = err.read().strip().splitlines()[-6:]
            results[label] = {"error": f"exit code {code}", "detail": tail}
        out.close()
        err.close()
    return results


def describe(behaviour: Behaviour, args: argparse.Namespace) -> None:
    """The community both rule sets start from."""
    b = behaviour
    mix = Counter(b.profile[: b.starting].tolist())
    shown = ", ".join(f"{PROFILES[i]} {mix[i]:,}" for i in range(len(PROFILES)))
    groups = group_plan(b)
    layout = ", ".join(f"{name} {size}" for _, name, size in groups)
    rows = int(np.count_nonzero(b.messages))
    print(f"seed {args.seed}: {b.starting:,} members ({shown})")
    print(
        f"  {b.size - b.starting} newcomers join General during the {args.cycles} cycles; "
        f"{rows:,} member-days with activity in all"
    )
    print(f"  groups at the start: {layout}")
    print(
        f"  a reversal: promoted or returned, then demoted within {REVERSAL_CYCLES} cycles; "
        f"or demoted, then returned or promoted within {REVERSAL_CYCLES} cycles"
    )


def _change(old: float, new: float) -> str:
    return "n/a" if old == 0 else f"{(new - old) / old * 100:+.0f}%"


def _figures(result: dict[str, Any]) -> dict[str, int]:
    moves, reversals = result["moves"], result["reversals"]
    return {
        "promotions": moves.get("promote", 0),
        "demotions": moves.get("demote", 0),
        "returns": moves.get("return", 0),
        "rewards": moves.get("reward", 0),
        "reversals": sum(reversals.values()),
        "  up, then down": reversals["up_then_down"],
        "  down, then up": reversals["down_then_up"],
    }


def print_results(contenders: list[Contender], results: dict[str, dict[str, Any]]) -> None:
    """Each rule set's run, the table of figures, the change and the targets."""
    for contender in contenders:
        result = results[contender.label]
        print(f"{contender.label} rules: {contender.description}")
        if "error" in result:
            print(f"  FAILED ({result['error']}); its last lines of output:")
            for line in result["detail"]:
                print(f"    {line}")
            continue
        seconds = result["seconds"]
        print(
            f"  ran {result['grouptier']} (plan_cycles takes {result['api']}): "
            f"{result['total']:.1f} s (building sheets {seconds['build']:.1f} s, "
            f"load_community {seconds['load']:.1f} s, plan_cycles {seconds['plan']:.1f} s)"
        )
    ran = [c.label for c in contenders if "error" not in results[c.label]]
    if not ran:
        return
    figures = {label: _figures(results[label]) for label in ran}
    header = f"{'':<22}" + "".join(f"{label + ' rules':>12}" for label in ran)
    both = ran == ["old", "new"]
    print("\n" + header + (f"{'change':>10}" if both else ""))
    for name in figures[ran[0]]:
        line = f"{name:<22}" + "".join(f"{figures[label][name]:>12,}" for label in ran)
        if both:
            line += f"{_change(figures['old'][name], figures['new'][name]):>10}"
        print(line)
    for level, label in (("1", "Core"), ("2", "General"), ("3", "Retention")):
        sizes = "".join(f"{results[r]['sizes'].get(level, 0):>12,}" for r in ran)
        print(f"{label + ' at the end':<22}{sizes}")
    if both:
        _print_targets(figures["old"], figures["new"])


def _print_targets(old: dict[str, int], new: dict[str, int]) -> None:
    reversals = _change(old["reversals"], new["reversals"])
    promotions = _change(old["promotions"], new["promotions"])
    print(f"\nnew against old rules: reversals {reversals}, promotions {promotions}")
    fewer = (
        old["reversals"] > 0 and new["reversals"] <= (1 - TARGET_FEWER_REVERSALS) * old["reversals"]
    )
    close = old["promotions"] > 0 and abs(new["promotions"] - old["promotions"]) <= (
        TARGET_PROMOTION_DRIFT * old["promotions"]
    )
    print(
        f"target: at least {TARGET_FEWER_REVERSALS:.0%} fewer reversals: "
        f"{'MET' if fewer else 'NOT MET'} ({reversals})"
    )
    print(
        f"target: promotions within {TARGET_PROMOTION_DRIFT:.0%} of the old rules: "
        f"{'MET' if close else 'NOT MET'} ({promotions})"
    )


def main(argv: list[str] | None = None) -> None:
    """Simulate under the old and the new rules and print the figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--members", type=int, default=3000, help="members at the start")
    parser.add_argument("--cycles", type=int, default=24)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(simulate(args.seed, args.members, args.cycles)))
        return
    describe(build_behaviour(args.seed, args.members, args.cycles), args)
    with tempfile.TemporaryDirectory(prefix="bench-fairness-") as scratch:
        baseline, why_not = old_rules(Path(scratch) / OLD_COMMIT)
        contenders = [baseline] if baseline else []
        contenders.append(new_rules())
        if baseline is None:
            print(f"old rules: not available, {why_not}; printing the new rules only")
        start = time.perf_counter()
        results = run_contenders(contenders, args, Path(scratch))
        took = time.perf_counter() - start
        runs = "both runs side by side" if len(contenders) == 2 else "the run"
        print(f"{runs} took {took:.1f} s\n")
    print_results(contenders, results)


if __name__ == "__main__":
    main()
