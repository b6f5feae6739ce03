"""`deploy/deploy.sh --dry-run`: the gcloud commands it would run are well formed.

gcloud is not available here: each printed line is parsed the way a shell
would (shlex) and checked against the flags Google's documentation requires.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "deploy.sh"
SHEET_ID = "1AbC_def-GHI0123456789xyz"
ODD = {
    "project": "community-project-7",
    "sheet": f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit?usp=sharing&x=$(id)#gid=0",
    "time-zone": "America/Port-au-Prince",
    "alert-email": "o'brien+alerts $team@example.com",
}

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def dry_run(**options: str) -> subprocess.CompletedProcess[str]:
    args = ["bash", str(SCRIPT), "--dry-run"]
    for key, value in {**ODD, **options}.items():
        args += [f"--{key}", value]
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd="/")


def commands(output: str) -> list[list[str]]:
    return [shlex.split(line) for line in output.splitlines() if not line.startswith("#")]


def flags(command: list[str]) -> dict[str, str]:
    found = {}
    for word in command:
        if word.startswith("--"):
            key, _, value = word.partition("=")
            found[key] = value
    return found


def find(all_commands: list[list[str]], *prefix: str) -> list[str]:
    matches = [c for c in all_commands if c[: len(prefix)] == list(prefix)]
    assert len(matches) == 1, (prefix, matches)
    return matches[0]


@pytest.fixture(scope="module")
def printed() -> list[list[str]]:
    result = dry_run()
    assert result.returncode == 0, result.stderr
    return commands(result.stdout)


def test_every_line_is_a_gcloud_command_for_the_project(printed: list[list[str]]) -> None:
    assert len(printed) == 10
    for command in printed:
        assert command[0] == "gcloud", command
        assert flags(command)["--project"] == ODD["project"]
        assert "--allow-unauthenticated" not in command


def test_the_apis_are_enabled(printed: list[list[str]]) -> None:
    enable = find(printed, "gcloud", "services", "enable")
    apis = {word for word in enable[3:] if not word.startswith("--")}
    assert apis == {
        f"{name}.googleapis.com"
        for name in (
            "cloudfunctions", "run", "cloudbuild", "cloudscheduler", "sheets",
            "artifactregistry", "logging", "monitoring",
        )
    }  # fmt: skip


def test_the_function_is_gen2_private_and_runs_as_its_own_account(
    printed: list[list[str]],
) -> None:
    deploy = find(printed, "gcloud", "functions", "deploy")
    assert deploy[3] == "grouptier" and "--gen2" in deploy and "--trigger-http" in deploy
    assert "--no-allow-unauthenticated" in deploy
    given = flags(deploy)
    assert given["--runtime"] == "python311" and given["--entry-point"] == "run_http"
    assert given["--source"] == "." and given["--region"] == "europe-west1"
    assert given["--service-account"] == "grouptier-fn@community-project-7.iam.gserviceaccount.com"
    assert given["--set-env-vars"] == f"GROUPTIER_SHEET_ID={SHEET_ID}"
    accounts = [c for c in printed if c[:4] == ["gcloud", "iam", "service-accounts", "create"]]
    assert [c[4] for c in accounts] == ["grouptier-fn", "grouptier-scheduler"]
    # no project-level role for anyone: only the invoker binding on the one function
    assert not any("add-iam-policy-binding" in c and "projects" in c for c in printed)


def test_only_the_scheduler_may_invoke_and_the_job_carries_an_oidc_token(
    printed: list[list[str]],
) -> None:
    scheduler = "grouptier-scheduler@community-project-7.iam.gserviceaccount.com"
    binding = find(printed, "gcloud", "functions", "add-invoker-policy-binding")
    assert binding[3] == "grouptier"
    assert flags(binding)["--member"] == f"serviceAccount:{scheduler}"
    job = find(printed, "gcloud", "scheduler", "jobs", "create", "http")
    given = flags(job)
    assert job[5] == "grouptier-daily"
    assert given["--schedule"] == "0 6 * * *"
    assert given["--time-zone"] == ODD["time-zone"]
    assert given["--oidc-service-account-email"] == scheduler
    assert given["--uri"].startswith("https://")
    assert given["--oidc-token-audience"] == given["--uri"]
    assert given["--location"] == "europe-west1" and given["--http-method"] == "POST"


def test_the_alert_notifies_the_named_address(printed: list[list[str]]) -> None:
    result = dry_run()
    metric = find(printed, "gcloud", "logging", "metrics", "create")
    assert "severity>=ERROR" in flags(metric)["--log-filter"]
    assert 'jsonPayload.status="invalid"' in flags(metric)["--log-filter"]
    channel = find(printed, "gcloud", "beta", "monitoring", "channels", "create")
    assert flags(channel)["--type"] == "email"
    assert flags(channel)["--channel-labels"] == f"email_address={ODD['alert-email']}"
    find(printed, "gcloud", "monitoring", "policies", "create")
    lines = result.stdout.splitlines()
    start, end = lines.index("# {"), lines.index("# }")
    body = json.loads("\n".join(line[2:] for line in lines[start : end + 1]))
    assert body["notificationChannels"] and "grouptier-failed-runs" in json.dumps(body)


def test_the_last_words_ask_to_share_the_sheet_with_the_function_account() -> None:
    result = dry_run()
    tail = result.stdout.splitlines()[-4:]
    assert any(
        "Share" in line and "grouptier-fn@community-project-7.iam.gserviceaccount.com" in line
        for line in tail
    )


def test_a_schedule_and_a_name_can_be_chosen() -> None:
    result = dry_run(schedule="0 6 1,16 * *", name="choir-ladder")
    assert result.returncode == 0, result.stderr
    job = find(commands(result.stdout), "gcloud", "scheduler", "jobs", "create", "http")
    assert flags(job)["--schedule"] == "0 6 1,16 * *" and job[5] == "choir-ladder-daily"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("sheet", "not a sheet; rm -rf /"),
        ("project", "Bad_Project"),
        ("alert-email", "nobody"),
        ("name", "Has Spaces"),
    ],
    ids=["sheet", "project", "email", "name"],
)
def test_bad_values_are_refused_before_any_command(option: str, value: str) -> None:
    result = dry_run(**{option: value})
    assert result.returncode == 2 and result.stdout == ""
    assert "deploy.sh:" in result.stderr


def test_missing_options_are_refused() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), "--dry-run", "--project", "community-project-7"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "required" in result.stderr


def test_the_script_is_strict_bash() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
