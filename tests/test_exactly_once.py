"""Exactly once, proven (issue 14): every request of a due run, faulted every way.

The invariant: a cycle is applied at most once, and a run that reports a
failure left the sheet as it was before or as a clean run leaves it, and says
which (or says that it cannot tell, and then it is one of the two). After each
faulted run a clean rerun must leave exactly one `done` row per cycle and every
tab as a clean run leaves it.

The matrix (see `fault_matrix` for how a case runs and is judged): every
request of a due run x every kind of fault in `KINDS`, once and on every
attempt; every write left in doubt with Google unreachable for the check; every
two requests x one kind per way the client reacts; and the `grouptier run`
command's exit code on a few of them. `VARIANTS` holds the backend options and
communities it runs with; a new one is one line there.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import SheetBuilder
from fault_matrix import (
    ALWAYS,
    CHECK,
    KINDS,
    Harness,
    Hit,
    Variant,
    check_invariant,
    done_rows_per_cycle,
    state_of,
)
from sheets_fake import SheetsFake
from test_gsheets import build_ladder

from grouptier.backends.xlsx import XlsxBackend
from grouptier.demo import demo_workbook
from grouptier.sheet import RawWorkbook

VARIANTS = {
    "whole": Variant({}, ("metadata", "read", "claim", "verify", "state")),
    # The state write staged in a hidden tab, in two parts, then committed.
    "staged": Variant(
        {"request_limit": 200_000},
        ("metadata", "read", "claim", "verify", "stage", "stage-more", "reverify", "commit"),
        pairs=False,
        shared=4,
    ),
    # Eight members and no cycle processed before: a small sheet's first due run.
    "small": Variant(
        {}, ("metadata", "read", "claim", "verify", "state"), pairs=False, community="small"
    ),
}
# Cases that fail because of a known bug in a module this harness may not change.
XFAIL: dict[str, str] = {}


def small_community() -> RawWorkbook:
    """Members who move up, down and back, with names like formulas; no cycle processed yet."""
    return build_ladder(SheetBuilder()).workbook()


COMMUNITIES: dict[str, Callable[[], RawWorkbook]] = {
    # The demo community (300 members) as its workbook holds it: cycle 3 due on its today.
    "demo": lambda: XlsxBackend(demo_workbook()).read(),
    "small": small_community,
}


@pytest.fixture(scope="module")
def server() -> Iterator[SheetsFake]:
    service = SheetsFake().start()
    yield service
    service.stop()


class Harnesses:
    """One harness per variant, made when a test first needs it."""

    def __init__(self, fake: SheetsFake) -> None:
        self.fake = fake
        self._communities: dict[str, RawWorkbook] = {}
        self._made: dict[str, Harness] = {}

    def __getitem__(self, name: str) -> Harness:
        if name not in self._made:
            variant = VARIANTS[name]
            if variant.community not in self._communities:
                self._communities[variant.community] = COMMUNITIES[variant.community]()
            community = self._communities[variant.community]
            self._made[name] = Harness(self.fake, community, variant)
        return self._made[name]


@pytest.fixture(scope="module")
def harnesses(server: SheetsFake) -> Harnesses:
    return Harnesses(server)


def case_id(variant: str, hits: tuple[Hit, ...]) -> str:
    names = VARIANTS[variant].names
    parts = [
        f"{names[hit.position - 1] if hit.position else CHECK}-{hit.kind}"
        + ("-always" if hit.times == ALWAYS else "")
        for hit in hits
    ]
    return f"{variant}:{'+'.join(parts)}"


def cases(variant: str, matrix: list[tuple[Hit, ...]]) -> list[Any]:
    params = []
    for hits in matrix:
        name = case_id(variant, hits)
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[name])] if name in XFAIL else []
        params.append(pytest.param(variant, hits, id=name, marks=marks))
    return params


def singles(variant: Variant) -> list[tuple[Hit, ...]]:
    """Every request x every kind, once (then retried) and always (every attempt).

    Always: for writes every kind; for reads one (the client cannot tell one
    fault of a read from another, as the faults once show).
    """
    return [
        (Hit(position, kind, times),)
        for position in variant.faulted
        for kind in KINDS
        for times in (1, ALWAYS)
        if times == 1 or variant.writes(position) or kind == "503"
    ]


def unchecked(variant: Variant) -> list[tuple[Hit, ...]]:
    """Every write x every fault that leaves it in doubt, with Google unreachable for the check."""
    return [
        (Hit(position, kind), Hit(0, "503", ALWAYS))
        for position in variant.faulted
        if variant.checks(position)
        for kind in KINDS
        if kind != "429"
    ]


# Pairs fault each request with one kind per way the client can react, as the single-fault
# cases show: a read is retried whatever the fault (and applies nothing), so an error
# answer and no answer; a write is resent (429), checked and found unapplied (a dropped
# connection, which the client treats as it treats a 503), checked and found applied
# (dropped after applying; likewise a 503 after applying) or left in doubt (a timeout).
READ_KINDS_IN_PAIRS = ("503", "drop")
WRITE_KINDS_IN_PAIRS = ("429", "drop", "drop-applied", "timeout")


def pairs(variant: Variant) -> list[tuple[Hit, ...]]:
    """Every two requests x the kinds above, each fault once."""
    matrix: list[tuple[Hit, ...]] = []
    for one, two in itertools.combinations(variant.faulted, 2):
        kinds = [
            WRITE_KINDS_IN_PAIRS if variant.writes(p) else READ_KINDS_IN_PAIRS for p in (one, two)
        ]
        matrix += [(Hit(one, a), Hit(two, b)) for a in kinds[0] for b in kinds[1]]
    return matrix


MATRIX = {
    "one": [c for name, v in VARIANTS.items() for c in cases(name, singles(v))],
    "unchecked": [c for name, v in VARIANTS.items() for c in cases(name, unchecked(v))],
    "two": [c for name, v in VARIANTS.items() if v.pairs for c in cases(name, pairs(v))],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_clean_run_makes_the_requests_the_matrix_faults(
    harnesses: Harnesses, variant: str
) -> None:
    harness = harnesses[variant]
    assert tuple(harness.at.requests) == harness.variant.kinds
    assert harness.later.requests == harness.at.requests
    done = done_rows_per_cycle(harness.at.sheet)
    assert done[3] == 1 and set(done.values()) == {1}  # cycle 3 was due, and done once
    assert harness.at.sheet != harness.later.sheet  # the times differ: both are checked
    whole = VARIANTS["whole"]
    assert harness.variant.names[: harness.variant.shared] == whole.names[: harness.variant.shared]


@pytest.mark.parametrize(("variant", "hits"), MATRIX["one"])
def test_one_fault(harnesses: Harnesses, variant: str, hits: tuple[Hit, ...]) -> None:
    harness = harnesses[variant]
    case = harness.case(*hits)
    assert case.fired[0] >= 1
    check_invariant(harness, case)


@pytest.mark.parametrize(("variant", "hits"), MATRIX["unchecked"])
def test_a_write_in_doubt_that_cannot_be_checked(
    harnesses: Harnesses, variant: str, hits: tuple[Hit, ...]
) -> None:
    harness = harnesses[variant]
    case = harness.case(*hits)
    assert case.fired[0] == 1 and case.fired[1] >= 1
    assert case.first.status == "unavailable", case.first  # it cannot go on without knowing
    check_invariant(harness, case)


@pytest.mark.parametrize(("variant", "hits"), MATRIX["two"])
def test_two_faults(harnesses: Harnesses, variant: str, hits: tuple[Hit, ...]) -> None:
    harness = harnesses[variant]
    case = harness.case(*hits)
    assert case.fired[0] >= 1
    assert case.fired[1] >= 1 or case.first.status != "done"
    check_invariant(harness, case)


# The command a manager runs says the same: exit code 0 only when the cycle was applied,
# and an error that says whether the sheet changed, or that it could not tell.
COMMAND = [
    pytest.param((Hit(5, "drop-applied"),), 0, "", "after", id="state-drop-applied"),
    pytest.param(
        (Hit(3, "503", ALWAYS),), 1, "nothing was changed", "before", id="claim-503-always"
    ),
    # A dropped connection may still be applied by Google later: never resent, so unsure.
    pytest.param(
        (Hit(5, "drop", ALWAYS),), 1, "did not confirm whether", "before", id="state-drop-always"
    ),
    pytest.param(
        (Hit(5, "drop"), Hit(0, "503", ALWAYS)),
        1,
        "did not confirm whether",
        "before",
        id="state-drop+check-503-always",
    ),
    pytest.param(
        (Hit(5, "drop-applied"), Hit(0, "503", ALWAYS)),
        1,
        "did not confirm whether",
        "after",
        id="state-drop-applied+check-503-always",
    ),
    pytest.param((Hit(5, "timeout"),), 1, "did not confirm whether", "after", id="state-timeout"),
]


@pytest.mark.parametrize(("hits", "code", "says", "state"), COMMAND)
def test_the_command_tells_the_truth_too(
    harnesses: Harnesses, hits: tuple[Hit, ...], code: int, says: str, state: str
) -> None:
    harness = harnesses["whole"]
    clean, after = harness.command_case()  # as the service's, but the trigger says manual
    assert clean.exit_code == 0, clean.output
    result, sheet = harness.command_case(*hits)
    assert result.exit_code == code, result.output
    assert says in result.output
    assert state_of(sheet, harness.before, after) == state
