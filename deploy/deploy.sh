#!/usr/bin/env bash
# Deploy grouptier as a Cloud Function (gen2) fired every day by Cloud Scheduler.
#
#   deploy/deploy.sh --project PROJECT --sheet SHEET_URL_OR_ID --time-zone ZONE \
#       --alert-email EMAIL [--region REGION] [--name NAME] [--schedule CRON] [--dry-run]
#
# What it does, in order (running it again updates what exists):
#   1. enables the APIs the function needs;
#   2. creates the function's service account, with NO project roles (it reaches
#      the sheet only because a manager shares the sheet with it);
#   3. deploys the function from the repository root (main.py, grouptier/,
#      templates/, requirements.txt), private (--no-allow-unauthenticated);
#   4. creates the scheduler's service account and grants it only the invoker
#      role on this one function;
#   5. creates the Cloud Scheduler job: an HTTP POST with an OIDC token, in the
#      community's time zone;
#   6. creates a log-based metric for failed or invalid runs and an alerting
#      policy that e-mails ALERT_EMAIL;
#   7. says which e-mail the manager must share the sheet with.
#
# --dry-run prints the gcloud commands (one per line, shell-quoted) instead of
# running them; values only known after a real step are shown as placeholders.
set -euo pipefail

usage() {
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die() {
    printf 'deploy.sh: %s\n' "$1" >&2
    exit 2
}

PROJECT=""
REGION="europe-west1"
SHEET=""
TIME_ZONE=""
ALERT_EMAIL=""
NAME="grouptier"
SCHEDULE="0 6 * * *"
DRY_RUN=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --project) PROJECT="${2-}"; shift 2 ;;
        --region) REGION="${2-}"; shift 2 ;;
        --sheet) SHEET="${2-}"; shift 2 ;;
        --time-zone) TIME_ZONE="${2-}"; shift 2 ;;
        --alert-email) ALERT_EMAIL="${2-}"; shift 2 ;;
        --name) NAME="${2-}"; shift 2 ;;
        --schedule) SCHEDULE="${2-}"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h|--help) usage ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
done

[[ -n "$PROJECT" && -n "$SHEET" && -n "$TIME_ZONE" && -n "$ALERT_EMAIL" ]] \
    || die "--project, --sheet, --time-zone and --alert-email are required (see --help)"
[[ "$PROJECT" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die "not a Google Cloud project ID: $PROJECT"
[[ "$NAME" =~ ^[a-z][a-z0-9-]{0,40}$ ]] || die "the name must be lowercase letters, digits and -"
[[ "$REGION" =~ ^[a-z]+-[a-z]+[0-9]$ ]] || die "not a Cloud Functions region: $REGION"
[[ "$ALERT_EMAIL" == *@*.* ]] || die "not an e-mail address: $ALERT_EMAIL"
if [[ "$SHEET" =~ /spreadsheets/d/([A-Za-z0-9_-]+) ]]; then
    SHEET_ID="${BASH_REMATCH[1]}"
else
    SHEET_ID="$SHEET"
fi
[[ "$SHEET_ID" =~ ^[A-Za-z0-9_-]{20,}$ ]] || die "not a Google Sheets URL or ID: $SHEET"

FUNCTION_SA="${NAME}-fn"
SCHEDULER_SA="${NAME}-scheduler"
FUNCTION_EMAIL="${FUNCTION_SA}@${PROJECT}.iam.gserviceaccount.com"
SCHEDULER_EMAIL="${SCHEDULER_SA}@${PROJECT}.iam.gserviceaccount.com"
JOB="${NAME}-daily"
METRIC="${NAME}-failed-runs"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# One argument, quoted for a POSIX shell only when it needs it.
quote() {
    if [[ "$1" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# Run a command, or print it (quoted) in a dry run.
run() {
    if [[ "$DRY_RUN" == 1 ]]; then
        local line="" arg
        for arg in "$@"; do
            line+="$(quote "$arg") "
        done
        printf '%s\n' "${line% }"
    else
        "$@"
    fi
}

# True when a describe command finds the resource (never in a dry run).
exists() {
    [[ "$DRY_RUN" == 0 ]] && "$@" >/dev/null 2>&1
}

# A command's output, or PLACEHOLDER in a dry run (where the command is printed).
value_of() {
    local placeholder="$1"
    shift
    if [[ "$DRY_RUN" == 1 ]]; then
        run "$@" >&3
        printf '%s' "$placeholder"
    else
        "$@"
    fi
}

cd "$ROOT"
exec 3>&1  # the script's own output, for dry-run lines printed inside $(...)

# 1. APIs
run gcloud services enable cloudfunctions.googleapis.com run.googleapis.com \
    cloudbuild.googleapis.com cloudscheduler.googleapis.com sheets.googleapis.com \
    artifactregistry.googleapis.com logging.googleapis.com monitoring.googleapis.com \
    --project="$PROJECT"

# 2. The function's own account: no project roles at all.
if ! exists gcloud iam service-accounts describe "$FUNCTION_EMAIL" --project="$PROJECT"; then
    run gcloud iam service-accounts create "$FUNCTION_SA" \
        --display-name="grouptier function (share the community sheet with it)" \
        --project="$PROJECT"
fi

# 3. The function, private.
run gcloud functions deploy "$NAME" --gen2 --runtime=python311 --region="$REGION" \
    --source=. --entry-point=run_http --trigger-http --no-allow-unauthenticated \
    --service-account="$FUNCTION_EMAIL" --set-env-vars="GROUPTIER_SHEET_ID=${SHEET_ID}" \
    --memory=1Gi --timeout=540s --max-instances=1 --project="$PROJECT"
URL="$(value_of "https://${REGION}-${PROJECT}.cloudfunctions.net/${NAME}" \
    gcloud functions describe "$NAME" --gen2 --region="$REGION" \
    --format="value(serviceConfig.uri)" --project="$PROJECT")"

# 4. The scheduler's account: may invoke this function, nothing else.
if ! exists gcloud iam service-accounts describe "$SCHEDULER_EMAIL" --project="$PROJECT"; then
    run gcloud iam service-accounts create "$SCHEDULER_SA" \
        --display-name="grouptier scheduler (invokes the function)" --project="$PROJECT"
fi
run gcloud functions add-invoker-policy-binding "$NAME" --region="$REGION" \
    --member="serviceAccount:${SCHEDULER_EMAIL}" --project="$PROJECT"

# 5. The daily trigger (a no-op between cycles), with an OIDC token for the function.
verb=create
if exists gcloud scheduler jobs describe "$JOB" --location="$REGION" --project="$PROJECT"; then
    verb=update
fi
run gcloud scheduler jobs "$verb" http "$JOB" --location="$REGION" \
    --schedule="$SCHEDULE" --time-zone="$TIME_ZONE" --uri="$URL" --http-method=POST \
    --oidc-service-account-email="$SCHEDULER_EMAIL" --oidc-token-audience="$URL" \
    --attempt-deadline=540s --max-retry-attempts=3 --min-backoff=300s --project="$PROJECT"

# 6. An e-mail when a run fails or finds the sheet invalid.
FILTER="resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${NAME}\""
FILTER+=" AND (severity>=ERROR OR jsonPayload.status=\"invalid\")"
if ! exists gcloud logging metrics describe "$METRIC" --project="$PROJECT"; then
    run gcloud logging metrics create "$METRIC" \
        --description="grouptier runs that failed or found the sheet invalid" \
        --log-filter="$FILTER" --project="$PROJECT"
fi
POLICY_NAME="grouptier: a run failed or the sheet is invalid"

# The alerting policy: any failed or invalid run in 5 minutes notifies channel $1.
policy_json() {
    cat <<JSON
{
  "displayName": "${POLICY_NAME}",
  "combiner": "OR",
  "conditions": [{
    "displayName": "failed or invalid grouptier run",
    "conditionThreshold": {
      "filter": "metric.type=\"logging.googleapis.com/user/${METRIC}\" AND resource.type=\"cloud_run_revision\"",
      "comparison": "COMPARISON_GT",
      "thresholdValue": 0,
      "duration": "0s",
      "aggregations": [{"alignmentPeriod": "300s", "perSeriesAligner": "ALIGN_COUNT"}]
    }
  }],
  "documentation": {
    "content": "A grouptier run failed or found the community sheet invalid. Open the sheet's Runs tab: its last row says what is wrong (the cells to fix, or why the sheet could not be reached).",
    "mimeType": "text/markdown"
  },
  "notificationChannels": ["$1"]
}
JSON
}

policy_exists() {
    [[ "$DRY_RUN" == 0 ]] && [[ -n "$(gcloud monitoring policies list --project="$PROJECT" \
        --filter="displayName=\"${POLICY_NAME}\"" --format="value(name)")" ]]
}

if ! policy_exists; then
    CHANNEL="$(value_of "projects/${PROJECT}/notificationChannels/CHANNEL_ID" \
        gcloud beta monitoring channels create --display-name="grouptier alerts" --type=email \
        --channel-labels="email_address=${ALERT_EMAIL}" --format="value(name)" \
        --project="$PROJECT")"
    POLICY_FILE="$(mktemp "${TMPDIR:-/tmp}/grouptier-policy.XXXXXX")"
    trap 'rm -f "$POLICY_FILE"' EXIT
    policy_json "$CHANNEL" >"$POLICY_FILE"
    if [[ "$DRY_RUN" == 1 ]]; then
        sed 's/^/# /' "$POLICY_FILE"
    fi
    run gcloud monitoring policies create --policy-from-file="$POLICY_FILE" --project="$PROJECT"
fi

# 7. The step only a manager can do.
cat <<DONE
# Done. One step is left for a manager of the community sheet:
#   open the sheet, click Share, add ${FUNCTION_EMAIL} as an Editor.
# The first run: gcloud scheduler jobs run ${JOB} --location=${REGION} --project=${PROJECT}
# Alerts go to ${ALERT_EMAIL} (confirm the address when Google asks).
DONE
