"""HTTP requests, bytes and time of one cycle on a Google Sheet, against a naive gspread baseline.

For communities of 1,000, 10,000 and 50,000 members (groups of 1,000; two
Activity rows per active member), each in a fresh sheet of the local Sheets
API fake (`tests/sheets_fake.py`, a real HTTP server on 127.0.0.1), one due
cycle is run twice:

- grouptier: `GoogleSheetsBackend` (one metadata GET, one batchGet, claim,
  verify, one atomic batchUpdate, then Leaderboard chunks of about 2 MB);
- naive: the same decisions, with gspread the way tutorials use it:
  `worksheet()` + `get_all_records()` per tab, `update_cell` per changed cell,
  `append_row` per added row (Moves, Runs, Messages, History), `delete_rows`
  per rolled-up Activity row, `clear` + `update` for the Leaderboard.

Bytes are the request targets and bodies sent and the response bodies
received, as the fake counts them (headers and the auth token excluded).
With `--old-rows N`, N more Activity rows of an old cycle, shuffled, are
rolled up by the cycle, and the baseline is grouptier removing them a run of
rows at a time (one deleteDimension each), as it did before the roll-up
sorted them into one block. With `--rows-per-member N`, Activity holds N
rows per member in all, shuffled, and the baseline is grouptier sending its
whole write in one batchUpdate, as it did before staging (the largest
request is the figure to watch: Google advises at most 2 MB and refuses
about 10 MB). Figures only; never pass/fail. Run:

    PYTHONPATH=. python benchmarks/bench_sheets.py [--sizes 1000 10000 50000]
    PYTHONPATH=. python benchmarks/bench_sheets.py --sizes 10000 --old-rows 190000
    PYTHONPATH=. python benchmarks/bench_sheets.py --sizes 1000 10000 25000 --rows-per-member 20
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import gspread
from google.oauth2.credentials import Credentials
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sheets_fake import SheetsFake

from grouptier import sheet
from grouptier.backends import sheets_requests
from grouptier.backends.gsheets import REQUEST_LIMIT, GoogleSheetsBackend
from grouptier.backends.sheets_requests import raw_value
from grouptier.community import load_community
from grouptier.cycle import (
    RunOptions,
    RunReport,
    add_messages,
    changes_for,
    outbox_for,
    plan_cycles,
    run,
)
from grouptier.schedule import calendar_of, cycle_window
from grouptier.settings import starter_settings
from grouptier.sheet import RawTab, RawWorkbook

SHEET_ID = "1BenchmarkCommunitySheet_0123456789abcdef"
ANCHOR = date(2026, 9, 1)
WINDOW = cycle_window(ANCHOR, 15, 3)
TODAY = WINDOW.end + timedelta(days=1)
NOW = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)


def community(members: int, old_rows: int = 0) -> dict[str, list[list[Any]]]:
    """Tabs of a synthetic community: groups of 1,000, half the members active twice.

    `old_rows` more Activity rows fall in cycle 1, which this cycle rolls up
    into History, and every row is shuffled, as a tab filled by hand and by
    imports out of date order is.
    """
    count = max(3, -(-members // 1000))
    levels = [1] * max(1, count // 10) + [2] * max(1, count // 2)
    levels += [3] * (count - len(levels))
    groups = [
        [f"Group {i + 1}", level, 1024, 3 if level > 1 else "", 0, 10, 0, "", ""]
        for i, level in enumerate(levels)
    ]
    member_rows, activity = [], []
    for index in range(members):
        member_id = f"+4479{index:08d}"
        group = f"Group {index * count // members + 1}"
        row = {"member_id": member_id, "name": f"Member {index}", "group": group}
        row["joined_on"] = date(2025, 1, 1)
        member_rows.append([row.get(name, "") for name in sheet.MEMBERS.headers])
        if index % 2:
            for day in (0, 5):
                values = {"date": WINDOW.start + timedelta(days=day), "member_id": member_id}
                values.update(messages=index % 40 + 1, content=index % 3, group=group)
                activity.append([values.get(name, "") for name in sheet.ACTIVITY.headers])
    rng = random.Random(2026)
    for _ in range(old_rows):
        member_id = f"+4479{rng.randrange(members):08d}"
        values = {"date": ANCHOR + timedelta(days=rng.randrange(15)), "member_id": member_id}
        values.update(messages=rng.randrange(1, 40))
        activity.append([values.get(name, "") for name in sheet.ACTIVITY.headers])
    if old_rows:
        rng.shuffle(activity)
    settings = [[s["setting"], s["value"], ""] for s in starter_settings(ANCHOR)]
    tabs = {
        "Settings": [sheet.SETTINGS.headers, *settings],
        "Groups": [sheet.GROUPS.headers, *groups],
        "Members": [sheet.MEMBERS.headers, *member_rows],
        "Activity": [sheet.ACTIVITY.headers, *activity],
        "Topics": [sheet.TOPICS.headers],
    }
    for spec in sheet.TOOL_TABS:
        tabs[spec.name] = [spec.headers]
    return tabs


def fresh_sheet(tabs: dict[str, list[list[Any]]]) -> SheetsFake:
    fake = SheetsFake().start()
    fake.create(SHEET_ID, tabs=())
    for name, rows in tabs.items():
        tab = fake.load(SHEET_ID, name, [list(row) for row in rows])
        # A new tab has 26 columns; a sheet this big only fits Google's 10 million
        # cells with its grids trimmed to the columns they use (plus a few to add).
        tab.column_count = len(rows[0]) + 4
    return fake


def grouptier_cycle(fake: SheetsFake, request_limit: int = REQUEST_LIMIT) -> RunReport:
    backend = GoogleSheetsBackend(
        SHEET_ID,
        credentials=Credentials(token="bench"),
        endpoint=fake.url,
        request_limit=request_limit,
    )
    return run(backend, RunOptions(today=TODAY), clock=lambda: NOW)


class Redirect(HTTPAdapter):
    """Sends https://sheets.googleapis.com traffic to the fake (mounted on gspread's session)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        request.url = request.url.replace("https://sheets.googleapis.com", self.base)
        return super().send(request, *args, **kwargs)


def naive_cycle(fake: SheetsFake) -> None:
    client = gspread.Client(Credentials(token="bench"))
    client.http_client.session.mount("https://sheets.googleapis.com", Redirect(fake.url))
    book = client.open_by_key(SHEET_ID)
    worksheets, headers, tabs = {}, {}, {}
    for spec in sheet.ALL_TABS:
        try:
            worksheet = book.worksheet(spec.name)
        except gspread.WorksheetNotFound:
            continue
        records = worksheet.get_all_records(numericise_ignore=["all"])
        header = list(records[0]) if records else list(spec.headers)
        worksheets[spec.name], headers[spec.name] = worksheet, header
        rows = [header] + [[record[h] for h in header] for record in records]
        tabs[spec.name] = RawTab(spec.name, rows)
    raw = RawWorkbook(tabs)
    members = load_community(raw)
    settings = members.settings
    calendar = calendar_of(members.runs, settings)
    plans, warnings = plan_cycles(members, [calendar.window(n) for n in calendar.due(TODAY)])
    report = RunReport("naive", "done", TODAY, tuple(plans), tuple(warnings))
    limit = GoogleSheetsBackend.cell_text_limit
    changes = changes_for(members, report, "manual", (NOW, NOW), limit)
    add_messages(changes, outbox_for(members, raw, plans, TODAY, limit))
    for update in changes.cell_updates:
        column = headers[update.tab].index(update.column) + 1
        worksheets[update.tab].update_cell(update.row, column, raw_value(update.value))
    for name, records in changes.replacements.items():
        worksheets[name].clear()
        body = [headers[name]] + [[raw_value(r.get(h)) for h in headers[name]] for r in records]
        worksheets[name].resize(rows=max(len(body), worksheets[name].row_count))
        worksheets[name].update(body, "A1")
    for name, rows in changes.deleted_rows.items():
        for row in sorted(rows, reverse=True):
            worksheets[name].delete_rows(row)
    for name, records in changes.appends.items():
        for record in records:
            worksheets[name].append_row([raw_value(record.get(h)) for h in headers[name]])


def measure(members: int, how: str, old_rows: int = 0) -> tuple[int, int, int, int, float]:
    """Requests, bytes sent, bytes received, the largest request's bytes, seconds."""
    fake = fresh_sheet(community(members, old_rows))
    try:
        started = time.perf_counter()
        if how == "naive":
            naive_cycle(fake)
        elif how == "one batch":  # before staging: the whole write in one request
            grouptier_cycle(fake, request_limit=10**12)
        elif how == "row runs":  # the roll-up as it was: a deleteDimension per run of rows
            with patch.object(sheets_requests, "oldest_rows_removed", lambda *_: None):
                grouptier_cycle(fake)
        else:
            grouptier_cycle(fake)
        elapsed = time.perf_counter() - started
        log = [e for e in fake.log if e.kind != "token"]
        assert all(e.status == 200 for e in log), [e for e in log if e.status != 200][:3]
        sent, received = sum(e.sent for e in log), sum(e.received for e in log)
        return len(log), sent, received, max(e.sent for e in log), elapsed
    finally:
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument(
        "--old-rows",
        type=int,
        default=0,
        help="Activity rows of an old cycle, shuffled, that the cycle rolls up; then the "
        "baseline is grouptier deleting them a run of rows at a time (as before), not naive",
    )
    parser.add_argument(
        "--rows-per-member",
        type=int,
        default=0,
        help="Activity rows per member in all, shuffled (old ones rolled up); then the "
        "baseline is grouptier's write in one batchUpdate, as before staging",
    )
    args = parser.parse_args()
    print(
        f"{'members':>8} {'client':>9} {'requests':>9} {'sent MB':>8} {'recv MB':>8} "
        f"{'largest MB':>10} {'time s':>7}"
    )
    baseline = "one batch" if args.rows_per_member else "row runs" if args.old_rows else "naive"
    for members in args.sizes:
        # Half the members have two rows this cycle: `members` rows; the rest are old.
        old_rows = max(0, (args.rows_per_member - 1) * members) or args.old_rows
        for how in ("grouptier", baseline):
            requests, sent, received, largest, elapsed = measure(members, how, old_rows)
            print(
                f"{members:>8,} {how:>9} {requests:>9,} {sent / 1e6:>8.2f} "
                f"{received / 1e6:>8.2f} {largest / 1e6:>10.2f} {elapsed:>7.2f}"
            )


if __name__ == "__main__":
    main()
