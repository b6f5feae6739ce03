"""`deploy/deploy.sh`: the gcloud commands it runs, checked without Google.

gcloud is not available here. A dry run's lines are parsed the way a shell
would (shlex) and checked against the flags Google's documentation
requires; the same lines are then pasted into bash with a stand-in `gcloud`
on the PATH that records its arguments and answers the few values a later
line needs (a function's URL, a trigger's subscription), which proves that
each printed line runs as printed. A real (not dry) run against a stand-in
that refuses with Google's PERMISSION_DENIED shows the reason to the deployer.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "deploy.sh"
SHEET_ID = "1AbC_def-GHI0123456789xyz"
REGISTRY_ID = "1AdminRegistry_0123456789abcdefXYZ"
RUNTIME = "python314"
ODD = {
    "project": "community-project-7",
    "sheet": f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit?usp=sharing&x=$(id)#gid=0",
    "time-zone": "America/Port-au-Prince",
    "alert-email": "o'brien+alerts $team@example.com",
}
MANY = {
    "project": "community-project-7",
    "registry": f"https://docs.google.com/spreadsheets/d/{REGISTRY_ID}/edit#gid=0",
    "alert-email": "o'brien+alerts $team@example.com",
}
BUILD = "grouptier-build@community-project-7.iam.gserviceaccount.com"
ASSIGNMENT = re.compile(r"^([A-Z_]+)=\$\((.*)\)$", re.S)
# What the stand-in gcloud answers for `--format=value(...)` describes, and creates.
P7 = "projects/community-project-7"
ANSWERS = {
    "value(serviceConfig.uri)": "https://grouptier-abc123-ew.a.run.app",
    "value(eventTrigger.trigger)": f"{P7}/locations/europe-west1/triggers/t-1",
    "value(transport.pubsub.subscription)": f"{P7}/subscriptions/eventarc-sub",
    "value(projectNumber)": "123456789012",
    "value(name)": "projects/community-project-7/notificationChannels/42",
}
FAKE_GCLOUD = f"""#!{sys.executable}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["GCLOUD_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
fail = os.environ.get("GCLOUD_FAIL")
if fail and fail in " ".join(args):
    sys.stderr.write(os.environ["GCLOUD_ERROR"])
    sys.exit(1)
answers = {json.dumps(ANSWERS)}
formats = [a.split("=", 1)[1] for a in args if a.startswith("--format=")]
if "list" in args:
    pass  # an empty list: nothing exists yet
elif formats and formats[0] in answers:
    print(answers[formats[0]])
elif "describe" in args:
    sys.exit(1)  # nothing exists yet
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def deploy(
    values: dict[str, str], *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """deploy.sh with `--key value` for each of `values`, then `extra` (e.g. `--dry-run`)."""
    args = ["bash", str(SCRIPT), *extra]
    for key, value in values.items():
        args += [f"--{key}", value]
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False, cwd="/")


def dry_run(
    values: dict[str, str] | None = None, **options: str
) -> subprocess.CompletedProcess[str]:
    return deploy({**(ODD if values is None else values), **options}, "--dry-run")


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line and not line.startswith("#")]


def commands(output: str) -> list[list[str]]:
    """The gcloud commands, those inside `VAR="$(...)"` lines included, as a shell splits them."""
    found = []
    for line in lines(output):
        words = shlex.split(line)
        match = ASSIGNMENT.match(words[0]) if len(words) == 1 else None
        found.append(shlex.split(match.group(2)) if match else words)
    return found


def assignments(output: str) -> dict[str, list[str]]:
    found = {}
    for line in lines(output):
        words = shlex.split(line)
        match = ASSIGNMENT.match(words[0]) if len(words) == 1 else None
        if match:
            found[match.group(1)] = shlex.split(match.group(2))
    return found


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


def topic_bindings(all_commands: list[list[str]], topic: str) -> list[list[str]]:
    prefix = ["gcloud", "pubsub", "topics", "add-iam-policy-binding", topic]
    return [c for c in all_commands if c[:5] == prefix]


@pytest.fixture(scope="module")
def output() -> str:
    result = dry_run()
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def printed(output: str) -> list[list[str]]:
    return commands(output)


@pytest.fixture(scope="module")
def many_output() -> str:
    result = dry_run(MANY)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def many(many_output: str) -> list[list[str]]:
    return commands(many_output)


def fake_gcloud(tmp_path: Path) -> dict[str, str]:
    """A PATH whose `gcloud` records each call in GCLOUD_LOG; the environment to use it."""
    folder = tmp_path / "bin"
    folder.mkdir(parents=True)
    (folder / "gcloud").write_text(FAKE_GCLOUD)
    (folder / "gcloud").chmod(0o755)
    log = tmp_path / "gcloud.log"
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}", "GCLOUD_LOG": str(log)}


def calls(env: dict[str, str]) -> list[list[str]]:
    path = Path(env["GCLOUD_LOG"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


# --- one community --------------------------------------------------------------------


def test_every_line_is_a_gcloud_command_for_the_project(
    output: str, printed: list[list[str]]
) -> None:
    assert len(printed) == 14
    for command in printed:
        assert command[0] == "gcloud", command
        assert flags(command).get("--project", command[3]) == ODD["project"]
        assert "--allow-unauthenticated" not in command
    assert "/tmp" not in output and "mktemp" not in output


def test_the_apis_are_enabled(printed: list[list[str]]) -> None:
    enable = find(printed, "gcloud", "services", "enable")
    apis = {word for word in enable[3:] if not word.startswith("--")}
    assert apis == {
        f"{name}.googleapis.com"
        for name in (
            "cloudfunctions", "run", "cloudbuild", "cloudscheduler", "sheets",
            "artifactregistry", "logging", "monitoring", "iam",
        )
    }  # fmt: skip


def test_the_function_is_gen2_private_and_runs_as_its_own_account(
    printed: list[list[str]],
) -> None:
    deploy = find(printed, "gcloud", "functions", "deploy")
    assert deploy[3] == "grouptier" and "--gen2" in deploy and "--trigger-http" in deploy
    assert "--no-allow-unauthenticated" in deploy
    given = flags(deploy)
    assert given["--runtime"] == RUNTIME and given["--entry-point"] == "run_http"
    assert given["--source"] == "." and given["--region"] == "europe-west1"
    assert given["--service-account"] == "grouptier-fn@community-project-7.iam.gserviceaccount.com"
    assert given["--set-env-vars"] == f"GROUPTIER_SHEET_ID={SHEET_ID}"
    accounts = [c for c in printed if c[:4] == ["gcloud", "iam", "service-accounts", "create"]]
    assert [c[4] for c in accounts] == ["grouptier-fn", "grouptier-build", "grouptier-scheduler"]


def test_the_build_runs_as_an_explicit_account_with_only_the_build_roles(
    printed: list[list[str]],
) -> None:
    deploy = find(printed, "gcloud", "functions", "deploy")
    assert flags(deploy)["--build-service-account"] == (
        f"projects/community-project-7/serviceAccounts/{BUILD}"
    )
    grants = [c for c in printed if "add-iam-policy-binding" in c and c[1] == "projects"]
    assert {flags(c)["--member"] for c in grants} == {f"serviceAccount:{BUILD}"}  # nobody else
    assert {flags(c)["--role"] for c in grants} == {
        "roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectViewer",
    }  # fmt: skip


def test_the_runtime_is_one_variable_with_the_page_to_check() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert f'RUNTIME="{RUNTIME}"' in text and "python311" not in text
    assert "https://cloud.google.com/run/docs/runtimes/python" in text


def test_only_the_scheduler_may_invoke_and_the_audience_is_the_real_uri(
    output: str, printed: list[list[str]]
) -> None:
    scheduler = "grouptier-scheduler@community-project-7.iam.gserviceaccount.com"
    binding = find(printed, "gcloud", "functions", "add-invoker-policy-binding")
    assert binding[3] == "grouptier"
    assert flags(binding)["--member"] == f"serviceAccount:{scheduler}"
    job = find(printed, "gcloud", "scheduler", "jobs", "create", "http")
    assert flags(job)["--min-backoff"] == "660s"  # past a run's ten-minute claim
    given = flags(job)
    assert job[5] == "grouptier-daily"
    assert given["--schedule"] == "0 6 * * *"
    assert given["--time-zone"] == ODD["time-zone"]
    assert given["--oidc-service-account-email"] == scheduler
    assert given["--uri"] == given["--oidc-token-audience"] == "${URL}"
    url = assignments(output)["URL"]
    assert url[:4] == ["gcloud", "functions", "describe", "grouptier"]
    assert flags(url)["--format"] == "value(serviceConfig.uri)"
    assert given["--location"] == "europe-west1" and given["--http-method"] == "POST"


def test_the_alert_notifies_the_named_address(printed: list[list[str]]) -> None:
    metric = find(printed, "gcloud", "logging", "metrics", "create")
    assert "severity>=ERROR" in flags(metric)["--log-filter"]
    assert 'jsonPayload.status="invalid"' in flags(metric)["--log-filter"]
    channel = find(printed, "gcloud", "beta", "monitoring", "channels", "create")
    assert flags(channel)["--type"] == "email"
    assert flags(channel)["--channel-labels"] == f"email_address={ODD['alert-email']}"
    policy = find(printed, "gcloud", "monitoring", "policies", "create")
    body = json.loads(flags(policy)["--policy"])
    assert "grouptier-failed-runs" in json.dumps(body)
    assert flags(policy)["--notification-channels"] == "${CHANNEL}"


def test_the_last_words_ask_to_share_the_sheet_with_the_function_account(output: str) -> None:
    tail = output.splitlines()[-4:]
    assert any(
        "Share" in line and "grouptier-fn@community-project-7.iam.gserviceaccount.com" in line
        for line in tail
    )


def test_a_schedule_and_a_name_can_be_chosen() -> None:
    result = dry_run(schedule="0 6 1,16 * *", name="choir-ladder")
    assert result.returncode == 0, result.stderr
    job = find(commands(result.stdout), "gcloud", "scheduler", "jobs", "create", "http")
    assert flags(job)["--schedule"] == "0 6 1,16 * *" and job[5] == "choir-ladder-daily"


# --- many communities -------------------------------------------------------------------


def test_the_registry_mode_enables_pubsub_and_eventarc_too(many: list[list[str]]) -> None:
    enable = find(many, "gcloud", "services", "enable")
    assert {"pubsub.googleapis.com", "eventarc.googleapis.com"} <= set(enable)
    for command in many:
        assert command[0] == "gcloud"
        assert flags(command).get("--project", command[3] if len(command) > 3 else "") in {
            MANY["project"]
        }


def test_the_run_function_is_on_the_topic_retried_and_sized_by_the_quota(
    many: list[list[str]],
) -> None:
    deploys = [c for c in many if c[:3] == ["gcloud", "functions", "deploy"]]
    assert [c[3] for c in deploys] == ["grouptier", "grouptier-dispatch"]
    run = flags(deploys[0])
    assert run["--entry-point"] == "run_pubsub" and run["--trigger-topic"] == "grouptier-runs"
    assert "--retry" in deploys[0] and "--trigger-http" not in deploys[0]
    assert run["--max-instances"] == "1"  # 60 reads a minute for the one account, see the script
    assert run["--trigger-service-account"].startswith("grouptier-trigger@")
    for deploy in deploys:
        assert flags(deploy)["--runtime"] == RUNTIME
        assert flags(deploy)["--build-service-account"].endswith(f"/serviceAccounts/{BUILD}")
    bigger = commands(dry_run(MANY, **{"sheets-reads-per-minute": "300"}).stdout)
    assert (
        flags(find(bigger, "gcloud", "functions", "deploy", "grouptier"))["--max-instances"] == "4"
    )


def test_a_dead_letter_topic_catches_runs_that_keep_failing(
    many_output: str, many: list[list[str]]
) -> None:
    created = [c[4] for c in many if c[:4] == ["gcloud", "pubsub", "topics", "create"]]
    assert created == ["grouptier-runs", "grouptier-runs-dead"]
    keep = find(many, "gcloud", "pubsub", "subscriptions", "create")
    assert keep[4] == "grouptier-runs-dead-keep" and flags(keep)["--topic"] == "grouptier-runs-dead"
    update = find(many, "gcloud", "pubsub", "subscriptions", "update")
    assert update[4] == "${SUBSCRIPTION}"
    assert flags(update)["--dead-letter-topic"] == (
        "projects/community-project-7/topics/grouptier-runs-dead"
    )
    assert flags(update)["--max-delivery-attempts"] == "5"
    # Redeliveries wait out the ten-minute claim of a run that could not tell if it wrote.
    assert flags(update)["--min-retry-delay"] == flags(update)["--max-retry-delay"] == "600s"
    found = assignments(many_output)
    assert flags(found["SUBSCRIPTION"])["--format"] == "value(transport.pubsub.subscription)"
    assert found["SUBSCRIPTION"][4] == "${TRIGGER}"
    assert flags(found["TRIGGER"])["--format"] == "value(eventTrigger.trigger)"
    agent = "serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"
    publisher = topic_bindings(many, "grouptier-runs-dead")
    assert [flags(c)["--member"] for c in publisher] == [agent]
    assert flags(publisher[0])["--role"] == "roles/pubsub.publisher"
    subscriber = find(many, "gcloud", "pubsub", "subscriptions", "add-iam-policy-binding")
    assert subscriber[4] == "${SUBSCRIPTION}" and flags(subscriber)["--member"] == agent
    assert flags(subscriber)["--role"] == "roles/pubsub.subscriber"


def test_the_dispatcher_is_private_and_scheduler_calls_it_hourly_in_utc(
    many_output: str, many: list[list[str]]
) -> None:
    dispatcher = flags(find(many, "gcloud", "functions", "deploy", "grouptier-dispatch"))
    assert dispatcher["--entry-point"] == "dispatch_http"
    assert dispatcher["--set-env-vars"] == (
        f"GROUPTIER_REGISTRY_ID={REGISTRY_ID},"
        "GROUPTIER_TOPIC=projects/community-project-7/topics/grouptier-runs"
    )
    assert dispatcher["--service-account"].startswith("grouptier-dispatch@")
    job = find(many, "gcloud", "scheduler", "jobs", "create", "http")
    given = flags(job)
    assert job[5] == "grouptier-hourly"
    assert given["--schedule"] == "0 * * * *" and given["--time-zone"] == "UTC"
    assert given["--uri"] == given["--oidc-token-audience"] == "${URL}"
    assert assignments(many_output)["URL"][3] == "grouptier-dispatch"
    publish = topic_bindings(many, "grouptier-runs")
    assert flags(publish[0])["--member"].startswith("serviceAccount:grouptier-dispatch@")
    assert "Viewer" in many_output and "pull grouptier-runs-dead-keep" in many_output


@pytest.mark.parametrize("mode", ["one", "many"])
def test_every_printed_line_runs_as_printed(mode: str, tmp_path: Path) -> None:
    result = dry_run(ODD if mode == "one" else MANY)
    assert result.returncode == 0, result.stderr
    assert "/tmp" not in result.stdout and "mktemp" not in result.stdout
    env = fake_gcloud(tmp_path)
    pasted = subprocess.run(
        ["bash", "-euo", "pipefail"], input=result.stdout, capture_output=True, text=True,
        env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert pasted.returncode == 0, pasted.stderr
    ran = calls(env)
    assert len(ran) == len(commands(result.stdout))
    job = next(c for c in ran if c[:4] == ["scheduler", "jobs", "create", "http"])
    assert (
        flags(job)["--uri"]
        == flags(job)["--oidc-token-audience"]
        == ANSWERS["value(serviceConfig.uri)"]
    )
    if mode == "many":
        update = next(c for c in ran if c[:3] == ["pubsub", "subscriptions", "update"])
        assert update[3] == ANSWERS["value(transport.pubsub.subscription)"]
        trigger = next(c for c in ran if c[:3] == ["eventarc", "triggers", "describe"])
        assert trigger[3] == ANSWERS["value(eventTrigger.trigger)"]
        assert any("service-123456789012@gcp-sa-pubsub" in " ".join(c) for c in ran)
    policy = next(c for c in ran if c[:3] == ["monitoring", "policies", "create"])
    assert flags(policy)["--notification-channels"] == ANSWERS["value(name)"]


@pytest.mark.parametrize("mode", ["one", "many"])
def test_a_real_run_makes_the_calls_the_dry_run_prints(mode: str, tmp_path: Path) -> None:
    values = ODD if mode == "one" else MANY
    pasted_env, real_env = fake_gcloud(tmp_path / "pasted"), fake_gcloud(tmp_path / "real")
    printed = dry_run(values).stdout
    subprocess.run(["bash"], input=printed, text=True, env=pasted_env, check=True)
    result = deploy(values, env=real_env)
    assert result.returncode == 0, result.stderr

    def changes(env: dict[str, str]) -> list[list[str]]:  # not the "does it exist?" checks
        asked = [c for c in calls(env) if "list" not in c]
        return [c for c in asked if "describe" not in c or any("--format=" in a for a in c)]

    assert changes(real_env) == changes(pasted_env)


# --- refusals and failures ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "option", "value"),
    [
        (ODD, "sheet", "not a sheet; rm -rf /"),
        (ODD, "project", "Bad_Project"),
        (ODD, "alert-email", "nobody"),
        (ODD, "name", "Has Spaces"),
        (ODD, "name", "a-name-far-too-long-for-accounts"),
        (ODD, "time-zone", "Mars/Olympus"),
        (ODD, "time-zone", "../../etc/passwd"),
        (ODD, "region", "Europe West"),
        (MANY, "registry", "not a sheet"),
        (MANY, "time-zone", "Africa/Lagos"),
        (MANY, "sheet", ODD["sheet"]),
        (MANY, "sheets-reads-per-minute", "lots"),
    ],
    ids=[
        "sheet", "project", "email", "name", "long-name", "zone", "zone-path", "region",
        "registry", "zone-with-registry", "both-modes", "quota",
    ],
)  # fmt: skip
def test_bad_values_are_refused_before_any_command(
    values: dict[str, str], option: str, value: str
) -> None:
    result = dry_run(values, **{option: value})
    assert result.returncode == 2 and result.stdout == ""
    assert "deploy.sh:" in result.stderr


def test_missing_options_are_refused() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), "--dry-run", "--project", "community-project-7"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "required" in result.stderr


def test_google_s_403_reason_is_shown_with_what_to_do(tmp_path: Path) -> None:
    env = fake_gcloud(tmp_path)
    env["GCLOUD_FAIL"] = "services enable"
    env["GCLOUD_ERROR"] = (
        "ERROR: (gcloud.services.enable) PERMISSION_DENIED: Permission denied to enable service "
        "[pubsub.googleapis.com]\n- '@type': type.googleapis.com/google.rpc.ErrorInfo\n"
        "  domain: serviceusage.googleapis.com\n  reason: AUTH_PERMISSION_DENIED\n"
    )
    result = deploy(MANY, env=env)
    assert result.returncode == 1
    assert "this step failed" in result.stderr and "gcloud services enable" in result.stderr
    assert "Google's reason:" in result.stderr
    assert (
        "PERMISSION_DENIED" in result.stderr and "reason: AUTH_PERMISSION_DENIED" in result.stderr
    )
    assert "Owner" in result.stderr  # what to do
    assert [c[:2] for c in calls(env)] == [["services", "enable"]]  # it stopped there


def test_a_disabled_api_is_explained_too(tmp_path: Path) -> None:
    env = fake_gcloud(tmp_path)
    env["GCLOUD_FAIL"] = "iam service-accounts create"
    env["GCLOUD_ERROR"] = (
        "ERROR: (gcloud.iam.service-accounts.create) PERMISSION_DENIED: Identity and Access "
        "Management (IAM) API has not been used in project 123 before or it is disabled.\n"
        "  reason: SERVICE_DISABLED\n"
    )
    result = deploy(ODD, env=env)
    assert result.returncode == 1 and "reason: SERVICE_DISABLED" in result.stderr
    assert "not enabled yet" in result.stderr


def test_the_script_is_strict_bash() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
