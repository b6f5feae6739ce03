"""`grouptier init/check/run SHEET_URL` end to end: a service-account key file, the endpoint
variable, the real gspread client and the local Sheets API fake (its token endpoint included)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from conftest import TODAY, SheetBuilder
from sheets_fake import SheetsFake
from sheets_support import SHEET_ID, load_workbook, open_sheet, write_service_account_key

from grouptier import sheet
from grouptier.backends import is_google_sheet, open_backend
from grouptier.backends.gsheets import GoogleSheetsBackend
from grouptier.backends.sheets_charts import SHARE_CHART, SIZES_CHART
from grouptier.backends.sheets_http import user_login_file
from grouptier.backends.sheets_init import prepare_sheet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cli import main
from grouptier.cycle import RunOptions, run
from grouptier.dashboard import DASHBOARD_CYCLES, FIXED_COLUMNS
from grouptier.starter import starter_rows

URL = f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0"
ACCOUNT = "grouptier@community-project.iam.gserviceaccount.com"


@pytest.fixture
def runner(fake: SheetsFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI whose Google requests go to the fake, signed in with a service-account key file."""
    key_file = write_service_account_key(tmp_path / "key.json", fake, ACCOUNT)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("GROUPTIER_SHEETS_ENDPOINT", fake.url)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def test_urls_and_ids_open_a_google_sheet_and_paths_a_workbook(tmp_path: Path) -> None:
    assert isinstance(open_backend(URL), GoogleSheetsBackend)
    assert isinstance(open_backend(SHEET_ID), GoogleSheetsBackend)
    assert isinstance(open_backend(tmp_path / "c.xlsx"), XlsxBackend)
    assert isinstance(open_backend("community.xlsx"), XlsxBackend)
    existing = tmp_path / SHEET_ID
    existing.write_bytes(b"")
    assert not is_google_sheet(str(existing))  # a file of that name wins


def test_init_prepares_a_sheet_once(runner: CliRunner, fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    result = runner.invoke(main, ["init", URL, "--anchor", "2026-09-01"])
    assert result.exit_code == 0, result.output
    book = fake.books[SHEET_ID]
    titles = [tab.title for tab in book.tabs]
    assert titles[:2] == ["Status", "Sheet1"] and {"Settings", "Members", "Runs"} <= set(titles)
    members = book.tab("Members")
    assert members.frozen_rows == 1 and members.validations and members.widths
    assert book.tab("Runs").protected[0]["warningOnly"] is True
    assert fake.values(SHEET_ID, "Groups")[1][0] == "Core"
    assert fake.tokens_issued == 1
    start = len(fake.log)
    again = runner.invoke(main, ["init", URL])
    assert again.exit_code == 0 and "nothing was changed" in again.output
    # The metadata lists every tab and the Dashboard's charts: nothing else needs reading.
    assert [e.kind for e in fake.log[start:] if e.kind != "token"] == ["metadata"]
    workbook = open_backend(URL).read()  # what init made reads back as the contract
    assert workbook.find("Settings") is not None and workbook.find("Members") is not None


def test_init_readies_imports_for_rows_typed_by_hand(runner: CliRunner, fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    result = runner.invoke(main, ["init", URL, "--anchor", "2026-09-01"])
    assert result.exit_code == 0, result.output
    imports = fake.books[SHEET_ID].tab("Imports")
    assert fake.values(SHEET_ID, "Imports") == [sheet.IMPORTS.headers]
    # Keys are (first row, first column, end row, end column).
    formats = {area[1]: cell for area, cell in imports.formats.items()}
    date = {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}}
    assert formats == {2: date, 3: date}  # first_day, last_day
    rules = {area[1]: rule for area, rule in imports.validations.items()}
    assert list(rules) == [1]  # group: the Groups dropdown
    assert rules[1]["condition"]["type"] == "ONE_OF_RANGE"
    assert imports.widths[4] == sheet.IMPORTS.columns[4].width * 7
    (protection,) = imports.protected
    assert protection["warningOnly"] is True
    assert "add rows with source manual" in protection["description"]
    assert "tick done" in fake.books[SHEET_ID].tab("Moves").protected[0]["description"]


def test_run_and_check_take_a_sheet_url(
    runner: CliRunner, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet.active_member("Core")
    for days in (5, 4, 3):
        sheet.active_member("General", score_days=days)
    sheet.member("General")
    load_workbook(fake, sheet.workbook())
    checked = runner.invoke(main, ["check", URL, "--date", TODAY.isoformat()])
    assert checked.exit_code == 0, checked.output
    result = runner.invoke(main, ["run", SHEET_ID, "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert [row[5] for row in fake.values(SHEET_ID, "Runs")[1:]] == ["done"]


def test_a_sheet_not_shared_says_whom_to_share_it_with(runner: CliRunner, fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    fake.forbidden.add(SHEET_ID)
    result = runner.invoke(main, ["check", URL])
    assert result.exit_code == 1
    assert ACCOUNT in result.output and "Share" in result.output


def test_a_missing_local_file_is_still_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.skipif(
    not (
        os.environ.get("GROUPTIER_LIVE_SHEET_ID")
        and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    ),
    reason="a live Google Sheet needs GROUPTIER_LIVE_SHEET_ID and GOOGLE_APPLICATION_CREDENTIALS",
)
def test_live_sheet_can_be_read_and_checked() -> None:
    """Against a real sheet (prepared with `grouptier init`): read, validate; writes nothing."""
    from grouptier.cycle import check

    backend = GoogleSheetsBackend(os.environ["GROUPTIER_LIVE_SHEET_ID"])
    workbook = backend.read()
    assert workbook.find("Members") is not None
    check(backend)


def test_a_key_file_can_be_given_as_an_option(
    runner: CliRunner,
    fake: SheetsFake,
    sheet: SheetBuilder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_file = os.environ["GOOGLE_APPLICATION_CREDENTIALS"]
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "none")
    sheet.active_member("Core")
    load_workbook(fake, sheet.workbook())
    result = runner.invoke(
        main, ["--credentials", key_file, "check", URL, "--date", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert fake.tokens_issued == 1


def test_a_persons_own_google_login_is_reused(
    runner: CliRunner,
    fake: SheetsFake,
    sheet: SheetBuilder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OAuth client file selects the person's login; the one kept from last time is used."""
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    client = tmp_path / "client_secret.json"
    client.write_text(json.dumps({"installed": {"client_id": "c", "client_secret": "s"}}))
    saved = user_login_file()
    saved.parent.mkdir(parents=True)
    saved.write_text(
        json.dumps(
            {
                "type": "authorized_user",
                "client_id": "c",
                "client_secret": "s",
                "refresh_token": "kept from the first login",
                # google-auth always refreshes such a login at Google's own token endpoint,
                # so the test keeps an access token that has not expired yet
                "token": "still valid",
                "expiry": "2099-01-01T00:00:00Z",
            }
        )
    )
    sheet.active_member("Core")
    load_workbook(fake, sheet.workbook())
    result = runner.invoke(
        main, ["--credentials", str(client), "check", URL, "--date", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert fake.tokens_issued == 0 and fake.count() == 2


# --- the Dashboard's charts --------------------------------------------------------------------


def _column_of(data: dict[str, Any], sheet_id: int) -> int:
    """The one column a chart's domain or series covers, checked to span the header and 200 rows."""
    (source,) = data["sourceRange"]["sources"]
    assert source["sheetId"] == sheet_id
    assert (source["startRowIndex"], source["endRowIndex"]) == (0, 1 + DASHBOARD_CYCLES)
    assert source["endColumnIndex"] == source["startColumnIndex"] + 1
    return int(source["startColumnIndex"])


def _chart_columns(fake: SheetsFake) -> dict[str, tuple[str, int, list[int]]]:
    """Each Dashboard chart as the metadata lists it: title -> (chart type, domain, series)."""
    answer = requests.get(
        f"{fake.url}/v4/spreadsheets/{SHEET_ID}",
        headers={"Authorization": "Bearer test"},
        timeout=5,
    ).json()
    (entry,) = [e for e in answer["sheets"] if e["properties"]["title"] == "Dashboard"]
    sheet_id = entry["properties"]["sheetId"]
    charts = {}
    for chart in entry["charts"]:
        assert isinstance(chart["chartId"], int)
        anchor = chart["position"]["overlayPosition"]["anchorCell"]
        assert anchor["sheetId"] == sheet_id
        basic = chart["spec"]["basicChart"]
        assert basic["headerCount"] == 1
        (domain,) = basic["domains"]
        series = [_column_of(each["series"], sheet_id) for each in basic["series"]]
        charts[chart["spec"]["title"]] = (
            basic["chartType"],
            _column_of(domain["domain"], sheet_id),
            series,
        )
    return charts


EXPECTED_CHARTS = {
    SIZES_CHART: ("COLUMN", 0, [9, 10, 11]),  # Core, General, Retention after the fixed columns
    SHARE_CHART: ("LINE", 0, [7]),  # top20_share
}


def test_init_adds_the_dashboard_charts_once(runner: CliRunner, fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    result = runner.invoke(main, ["init", URL, "--anchor", "2026-09-01"])
    assert result.exit_code == 0, result.output
    header = fake.values(SHEET_ID, "Dashboard")[0]
    assert header == [*sheet.DASHBOARD.headers, "Core", "General", "Retention"]
    assert _chart_columns(fake) == EXPECTED_CHARTS
    start = len(fake.log)
    again = runner.invoke(main, ["init", URL])
    assert again.exit_code == 0 and "nothing was changed" in again.output
    assert "batchUpdate" not in [entry.kind for entry in fake.log[start:]]
    assert len(fake.books[SHEET_ID].tab("Dashboard").charts) == 2


def test_the_first_run_of_a_sheet_made_before_the_charts_adds_them_once(
    fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet.active_member("Core")
    sheet.active_member("General", score_days=2)
    sheet.member("Retention")
    load_workbook(fake, sheet.workbook())
    assert run(open_sheet(fake), RunOptions(today=TODAY)).status == "done"
    rows = fake.values(SHEET_ID, "Dashboard")
    assert rows[0][len(FIXED_COLUMNS) :] == ["Core", "General", "Retention"]
    assert _chart_columns(fake) == EXPECTED_CHARTS  # in the run's own atomic write
    later = TODAY + timedelta(days=15)
    assert run(open_sheet(fake), RunOptions(today=later)).status == "done"
    assert len(fake.books[SHEET_ID].tab("Dashboard").charts) == 2  # not added twice
    added = prepare_sheet(open_sheet(fake), starter_rows(TODAY))
    assert added == ["Templates"]  # the optional tab this community never had
    assert prepare_sheet(open_sheet(fake), starter_rows(TODAY)) == []
    assert len(fake.books[SHEET_ID].tab("Dashboard").charts) == 2


def test_init_on_a_sheet_in_use_says_what_it_added(
    runner: CliRunner, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet.active_member("Core")
    sheet.active_member("General", score_days=2)
    load_workbook(fake, sheet.workbook())
    assert run(open_sheet(fake), RunOptions(today=TODAY)).status == "done"
    result = runner.invoke(main, ["init", URL])
    assert result.exit_code == 0, result.output
    assert "Created" not in result.output
    assert "the tabs it lacked: Templates." in result.output
    assert "charts" not in result.output  # the run added them already
    fake.books[SHEET_ID].tab("Dashboard").charts.clear()  # a manager deleted them
    again = runner.invoke(main, ["init", URL])
    assert again.exit_code == 0, again.output
    assert f"the charts it lacked: {SIZES_CHART}, {SHARE_CHART}." in again.output
