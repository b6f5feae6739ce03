#!/usr/bin/env bash
# Deploy grouptier as Cloud Run functions (gen2): one community, or many from a registry sheet.
#
#   deploy/deploy.sh --project PROJECT --sheet SHEET_URL_OR_ID --time-zone ZONE \
#       --alert-email EMAIL [--region REGION] [--name NAME] [--schedule CRON] [--dry-run]
#   deploy/deploy.sh --project PROJECT --registry ADMIN_SHEET_URL_OR_ID \
#       --alert-email EMAIL [--region REGION] [--name NAME] [--sheets-reads-per-minute N] [--dry-run]
#
# One community (--sheet), in order (running it again updates what exists):
#   1. enables the APIs the functions need;
#   2. creates the function's service account, with NO project roles (it reaches
#      a sheet only because a manager shares the sheet with it), and the build
#      service account Cloud Build runs as (new projects have no usable default);
#   3. deploys the function from the repository root (main.py, grouptier/,
#      templates/, requirements.txt), private (--no-allow-unauthenticated);
#   4. creates the scheduler's service account, allowed to invoke this one function;
#   5. creates the Cloud Scheduler job: an HTTP POST with an OIDC token whose
#      audience is the function's own URL (serviceConfig.uri), in the community's
#      time zone;
#   6. creates a log-based metric for failed or invalid runs and an alerting
#      policy that e-mails ALERT_EMAIL;
#   7. says which e-mail the manager must share the sheet with.
#
# Many communities (--registry, the admin sheet's Communities tab: sheet,
# time_zone, run_hour, enabled) replaces 3-5 with: a Pub/Sub topic NAME-runs
# and a dead-letter topic NAME-runs-dead (with a subscription that keeps dead
# letters to inspect); the run function deployed on the topic (Eventarc push,
# retried, dead-lettered after MAX_DELIVERY_ATTEMPTS); the dispatcher function
# NAME-dispatch; and an hourly Scheduler job (UTC) that calls the dispatcher.
#
# --dry-run prints every command (one per line, shell-quoted) instead of running
# it. Each printed line can be pasted into bash as it is: values only known
# after a step are read into shell variables by printed lines such as
# URL="$(gcloud functions describe ... --format='value(serviceConfig.uri)')"
# and used as "${URL}" below them. Nothing is written to a temporary file.
#
# When a gcloud command fails, the script stops, shows Google's reason
# (PERMISSION_DENIED, SERVICE_DISABLED, ...) and what to do about it.
set -euo pipefail

usage() {
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die() {
    printf 'deploy.sh: %s\n' "$1" >&2
    exit 2
}

# The newest generally available Python runtime of Cloud Run functions. Check
# https://cloud.google.com/run/docs/runtimes/python ("Supported Python runtimes")
# before changing it: python314 is GA (deprecated 2030-10-10), python315 is Preview.
RUNTIME="python314"
# What Google documents for a custom build account of Cloud Run functions
# (https://cloud.google.com/functions/docs/securing/build-custom-sa): build logs,
# the built image, and reading the uploaded source.
BUILD_ROLES=(roles/logging.logWriter roles/artifactregistry.writer roles/storage.objectViewer)
# Pub/Sub's allowed range is 5-100; a run that failed 5 times needs a person, not a sixth try.
MAX_DELIVERY_ATTEMPTS=5

PROJECT=""
REGION="europe-west1"
SHEET=""
REGISTRY=""
TIME_ZONE=""
ALERT_EMAIL=""
NAME="grouptier"
SCHEDULE="0 6 * * *"
SHEETS_READS_PER_MINUTE=60
DRY_RUN=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --project) PROJECT="${2-}"; shift 2 ;;
        --region) REGION="${2-}"; shift 2 ;;
        --sheet) SHEET="${2-}"; shift 2 ;;
        --registry) REGISTRY="${2-}"; shift 2 ;;
        --time-zone) TIME_ZONE="${2-}"; shift 2 ;;
        --alert-email) ALERT_EMAIL="${2-}"; shift 2 ;;
        --name) NAME="${2-}"; shift 2 ;;
        --schedule) SCHEDULE="${2-}"; shift 2 ;;
        --sheets-reads-per-minute) SHEETS_READS_PER_MINUTE="${2-}"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h|--help) usage ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
done

# --- every value is checked before anything is created ------------------------------

# The spreadsheet ID in a sheet URL, or the argument itself when it is a bare ID.
sheet_id_of() {
    if [[ "$1" =~ /spreadsheets/d/([A-Za-z0-9_-]+) ]]; then
        printf '%s' "${BASH_REMATCH[1]}"
    else
        printf '%s' "$1"
    fi
}

# True for a time zone name this machine's tz database knows (as Cloud Scheduler does).
known_zone() {
    [[ "$1" =~ ^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$ ]] || return 1
    if [[ -d /usr/share/zoneinfo ]]; then
        [[ -f "/usr/share/zoneinfo/$1" ]]
    elif command -v python3 >/dev/null 2>&1; then
        python3 -c 'import sys, zoneinfo; zoneinfo.ZoneInfo(sys.argv[1])' "$1" 2>/dev/null
    else
        return 0  # no tz database to ask: the shape check above is all there is
    fi
}

[[ -n "$PROJECT" && -n "$ALERT_EMAIL" ]] \
    || die "--project and --alert-email are required, with --sheet and --time-zone or --registry (see --help)"
[[ -n "$SHEET" || -n "$REGISTRY" ]] || die "--sheet (one community) or --registry (many) is required"
[[ -z "$SHEET" || -z "$REGISTRY" ]] || die "give --sheet (one community) or --registry (many), not both"
[[ "$PROJECT" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die "not a Google Cloud project ID: $PROJECT"
# Service account IDs built from the name (NAME-scheduler) must stay within 6-30 characters.
[[ "$NAME" =~ ^[a-z][a-z0-9-]{1,18}[a-z0-9]$ ]] \
    || die "the name must be 3 to 20 lowercase letters, digits and -, starting with a letter: $NAME"
[[ "$REGION" =~ ^[a-z]+-[a-z]+[0-9]$ ]] || die "not a Cloud Functions region: $REGION"
[[ "$ALERT_EMAIL" == *@*.* ]] || die "not an e-mail address: $ALERT_EMAIL"
[[ "$SHEETS_READS_PER_MINUTE" =~ ^[1-9][0-9]{0,6}$ ]] \
    || die "--sheets-reads-per-minute must be a whole number of requests: $SHEETS_READS_PER_MINUTE"
if [[ -n "$SHEET" ]]; then
    SHEET_ID="$(sheet_id_of "$SHEET")"
    [[ "$SHEET_ID" =~ ^[A-Za-z0-9_-]{20,}$ ]] || die "not a Google Sheets URL or ID: $SHEET"
    [[ -n "$TIME_ZONE" ]] || die "--time-zone is required with --sheet (the community's, e.g. Africa/Lagos)"
    known_zone "$TIME_ZONE" \
        || die "not a time zone: $TIME_ZONE (use a tz database name such as Africa/Lagos)"
else
    REGISTRY_ID="$(sheet_id_of "$REGISTRY")"
    [[ "$REGISTRY_ID" =~ ^[A-Za-z0-9_-]{20,}$ ]] || die "not a Google Sheets URL or ID: $REGISTRY"
    [[ -z "$TIME_ZONE" ]] \
        || die "--time-zone goes with --sheet; with --registry each community's zone is in its row"
fi

FUNCTION_SA="${NAME}-fn"
BUILD_SA="${NAME}-build"
SCHEDULER_SA="${NAME}-scheduler"
FUNCTION_EMAIL="${FUNCTION_SA}@${PROJECT}.iam.gserviceaccount.com"
BUILD_EMAIL="${BUILD_SA}@${PROJECT}.iam.gserviceaccount.com"
SCHEDULER_EMAIL="${SCHEDULER_SA}@${PROJECT}.iam.gserviceaccount.com"
BUILD_ACCOUNT="projects/${PROJECT}/serviceAccounts/${BUILD_EMAIL}"
METRIC="${NAME}-failed-runs"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# --- printing and running commands ---------------------------------------------------

# One argument, quoted for a POSIX shell only when it needs it. An argument holding
# {{VAR}} (a value a dry run only knows as a shell variable) is double-quoted with
# ${VAR} in its place.
quote() {
    local text="$1"
    if [[ "$text" =~ \{\{[A-Z_]+\}\} ]]; then
        text="${text//\\/\\\\}"
        text="${text//\"/\\\"}"
        text="${text//\$/\\\$}"
        text="${text//\`/\\\`}"
        while [[ "$text" =~ ^(.*)\{\{([A-Z_]+)\}\}(.*)$ ]]; do
            text="${BASH_REMATCH[1]}\${${BASH_REMATCH[2]}}${BASH_REMATCH[3]}"
        done
        printf '"%s"' "$text"
    elif [[ "$text" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
        printf '%s' "$text"
    else
        printf "'%s'" "${text//\'/\'\\\'\'}"
    fi
}

# The command, quoted, on one line.
shown() {
    local line="" arg
    for arg in "$@"; do
        line+="$(quote "$arg") "
    done
    printf '%s' "${line% }"
}

ERRORS=""
if [[ "$DRY_RUN" == 0 ]]; then
    ERRORS="$(mktemp "${TMPDIR:-/tmp}/grouptier-deploy.XXXXXX")"
    trap 'rm -f "$ERRORS"' EXIT
    export CLOUDSDK_CORE_DISABLE_PROMPTS=1  # a prompt would wait forever inside this script
fi

# Run a command, its errors shown as they come and kept; on failure, explain and stop.
checked() {
    : >"$ERRORS"
    local status=0
    # stdout goes on (to the caller, or into $(...)); stderr is shown and kept. With pipefail
    # the pipeline fails as the command does, and it ends only once tee has written it all.
    { "$@" 2>&1 1>&4 | tee "$ERRORS" >&2; } 4>&1 || status=$?
    if [[ "$status" != 0 ]]; then
        explain_failure "$status" "$@"
    fi
}

# What Google said (the reason codes of its error), and what a deployer can do about it.
explain_failure() {
    local status="$1"
    shift
    local reasons
    reasons="$(grep -Eo "(PERMISSION_DENIED|SERVICE_DISABLED|API_DISABLED|BILLING_DISABLED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|reason: [A-Za-z_]+|Permission '?[a-z.]+'? denied[^.]*|does not have [^.]*|has not been used in project [^.]*|is disabled[^.]*)" \
        "$ERRORS" | sort -u | head -n 5 || true)"
    printf '\ndeploy.sh: this step failed (exit %s):\n  %s\n' "$status" "$(shown "$@")" >&2
    if [[ -n "$reasons" ]]; then
        printf "Google's reason:\n" >&2
        printf '%s\n' "$reasons" | sed 's/^/  /' >&2
    fi
    if grep -Eq 'SERVICE_DISABLED|API_DISABLED|has not been used in project|is disabled' "$ERRORS"; then
        printf '%s\n' "What to do: an API this step needs is not enabled yet. Step 1 enables them;" \
            "  enabling takes a few minutes to reach every Google service. Wait, then run" \
            "  deploy.sh again (it carries on from what exists)." >&2
    elif grep -q 'BILLING_DISABLED' "$ERRORS"; then
        printf '%s\n' "What to do: link a billing account to project ${PROJECT}" \
            "  (console.cloud.google.com/billing), then run deploy.sh again." >&2
    elif grep -Eq 'PERMISSION_DENIED|does not have|denied|403' "$ERRORS"; then
        printf '%s\n' "What to do: the account gcloud uses (gcloud config get-value account) lacks" \
            "  a permission this step needs in project ${PROJECT}. Run deploy.sh as a project" \
            "  Owner, or ask one to grant the role named above, then run it again." >&2
    fi
    exit "$status"
}

# Run a command, or print it (quoted) in a dry run.
run() {
    if [[ "$DRY_RUN" == 1 ]]; then
        printf '%s\n' "$(shown "$@")"
    else
        checked "$@"
    fi
}

# True when a describe command finds the resource (never in a dry run).
exists() {
    [[ "$DRY_RUN" == 0 ]] && "$@" >/dev/null 2>&1
}

# A command's output. A dry run prints `VAR="$(command)"` instead and gives {{VAR}},
# which `quote` prints as "${VAR}" in the commands that use it.
value_of() {
    local variable="$1"
    shift
    if [[ "$DRY_RUN" == 1 ]]; then
        printf '%s="$(%s)"\n' "$variable" "$(shown "$@")" >&3
        printf '{{%s}}' "$variable"
    else
        checked "$@"
    fi
}

# The function's own URL: the audience its OIDC tokens must name.
function_url() {
    value_of "$2" gcloud functions describe "$1" --gen2 --region="$REGION" \
        --format="value(serviceConfig.uri)" --project="$PROJECT"
}

service_account() {
    local id="$1" email="$1@${PROJECT}.iam.gserviceaccount.com" title="$2"
    if ! exists gcloud iam service-accounts describe "$email" --project="$PROJECT"; then
        run gcloud iam service-accounts create "$id" --display-name="$title" --project="$PROJECT"
    fi
}

topic() {
    if ! exists gcloud pubsub topics describe "$1" --project="$PROJECT"; then
        run gcloud pubsub topics create "$1" --project="$PROJECT"
    fi
}

cd "$ROOT"
exec 3>&1  # the script's own output, for dry-run lines printed inside $(...)

# --- 1. APIs ----------------------------------------------------------------------------
APIS=(cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com
    cloudscheduler.googleapis.com sheets.googleapis.com artifactregistry.googleapis.com
    logging.googleapis.com monitoring.googleapis.com iam.googleapis.com)
if [[ -n "$REGISTRY" ]]; then
    APIS+=(pubsub.googleapis.com eventarc.googleapis.com)
fi
run gcloud services enable "${APIS[@]}" --project="$PROJECT"

# --- 2. Accounts: the function's (no project roles at all) and the build's ----------------
service_account "$FUNCTION_SA" "grouptier function (share the community sheets with it)"
service_account "$BUILD_SA" "grouptier build (Cloud Build runs the function builds as it)"
for role in "${BUILD_ROLES[@]}"; do
    run gcloud projects add-iam-policy-binding "$PROJECT" \
        --member="serviceAccount:${BUILD_EMAIL}" --role="$role" --condition=None --quiet
done
service_account "$SCHEDULER_SA" "grouptier scheduler (invokes one function)"

# Deploy function $1 from the repository root, built by the build account.
deploy_function() {
    local name="$1"
    shift
    run gcloud functions deploy "$name" --gen2 --runtime="$RUNTIME" --region="$REGION" \
        --source=. --build-service-account="$BUILD_ACCOUNT" "$@"
}

if [[ -z "$REGISTRY" ]]; then
    # --- 3-5. One community: an HTTP function that Scheduler calls daily --------------
    deploy_function "$NAME" --entry-point=run_http --trigger-http --no-allow-unauthenticated \
        --service-account="$FUNCTION_EMAIL" --set-env-vars="GROUPTIER_SHEET_ID=${SHEET_ID}" \
        --memory=1Gi --timeout=540s --max-instances=1 --project="$PROJECT"
    URL="$(function_url "$NAME" URL)"
    run gcloud functions add-invoker-policy-binding "$NAME" --region="$REGION" \
        --member="serviceAccount:${SCHEDULER_EMAIL}" --project="$PROJECT"
    JOB="${NAME}-daily"
    # Retries wait out a run's ten-minute claim: a run that could not tell whether its
    # write landed answers 503, and a retry inside the claim would only find the sheet busy.
    JOB_ARGS=(--schedule="$SCHEDULE" --time-zone="$TIME_ZONE" --attempt-deadline=540s
        --max-retry-attempts=3 --min-backoff=660s)
    SERVICES="\"${NAME}\""
else
    # --- 3-5. Many communities: dispatcher -> Pub/Sub -> run function ------------------
    DISPATCHER="${NAME}-dispatch"
    DISPATCH_SA="${NAME}-dispatch"
    TRIGGER_SA="${NAME}-trigger"
    DISPATCH_EMAIL="${DISPATCH_SA}@${PROJECT}.iam.gserviceaccount.com"
    TRIGGER_EMAIL="${TRIGGER_SA}@${PROJECT}.iam.gserviceaccount.com"
    RUNS_TOPIC="${NAME}-runs"
    DEAD_TOPIC="${NAME}-runs-dead"
    DEAD_KEEP="${NAME}-runs-dead-keep"

    # Max instances, from the Sheets quota (developers.google.com/workspace/sheets/api/limits):
    # 300 read requests a minute per project, but 60 per minute per user per project, and
    # every run signs in as the one account NAME-fn, so 60 binds (raise it with
    # --sheets-reads-per-minute after Google grants an increase). The fastest run, the daily
    # no-op, reads 2 requests in about 2 s: 60 reads a minute per instance. At 80% of the
    # quota that is 48 / 60 -> at least 1 instance. 1,000 communities that all chose the same
    # hour read about 2,070 requests (a due cycle, 1 day in 15, reads 3 and writes 3):
    # 2,070 / 48 = 43 minutes, inside the hour; messages wait in Pub/Sub meanwhile.
    READS_PER_RUN=2
    SECONDS_PER_RUN=2
    PER_INSTANCE=$((READS_PER_RUN * 60 / SECONDS_PER_RUN))
    MAX_INSTANCES=$((SHEETS_READS_PER_MINUTE * 80 / 100 / PER_INSTANCE))
    ((MAX_INSTANCES >= 1)) || MAX_INSTANCES=1

    service_account "$DISPATCH_SA" "grouptier dispatcher (share the admin sheet with it)"
    service_account "$TRIGGER_SA" "grouptier trigger (Eventarc pushes runs as it)"
    topic "$RUNS_TOPIC"
    topic "$DEAD_TOPIC"
    if ! exists gcloud pubsub subscriptions describe "$DEAD_KEEP" --project="$PROJECT"; then
        # Messages published to a topic without subscriptions are lost: this one keeps them.
        run gcloud pubsub subscriptions create "$DEAD_KEEP" --topic="$DEAD_TOPIC" \
            --message-retention-duration=7d --expiration-period=never --project="$PROJECT"
    fi

    # The run function on the topic: Eventarc creates its push subscription.
    deploy_function "$NAME" --entry-point=run_pubsub --trigger-topic="$RUNS_TOPIC" \
        --trigger-service-account="$TRIGGER_EMAIL" --retry --service-account="$FUNCTION_EMAIL" \
        --memory=1Gi --timeout=540s --max-instances="$MAX_INSTANCES" --project="$PROJECT"
    run gcloud functions add-invoker-policy-binding "$NAME" --region="$REGION" \
        --member="serviceAccount:${TRIGGER_EMAIL}" --project="$PROJECT"

    # Dead letters (cloud.google.com/pubsub/docs/handling-failures): the subscription stops
    # redelivering after MAX_DELIVERY_ATTEMPTS; Pub/Sub's service agent must be allowed to
    # publish to the dead-letter topic and to subscribe to (acknowledge on) the subscription.
    TRIGGER="$(value_of TRIGGER gcloud functions describe "$NAME" --gen2 --region="$REGION" \
        --format="value(eventTrigger.trigger)" --project="$PROJECT")"
    SUBSCRIPTION="$(value_of SUBSCRIPTION gcloud eventarc triggers describe "$TRIGGER" \
        --location="$REGION" --format="value(transport.pubsub.subscription)" --project="$PROJECT")"
    PROJECT_NUMBER="$(value_of PROJECT_NUMBER gcloud projects describe "$PROJECT" \
        --format="value(projectNumber)")"
    PUBSUB_AGENT="service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"
    # Redeliveries wait the longest Pub/Sub allows (600 s), about a run's ten-minute claim.
    run gcloud pubsub subscriptions update "$SUBSCRIPTION" \
        --dead-letter-topic="projects/${PROJECT}/topics/${DEAD_TOPIC}" \
        --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS" --min-retry-delay=600s \
        --max-retry-delay=600s --project="$PROJECT"
    run gcloud pubsub topics add-iam-policy-binding "$DEAD_TOPIC" \
        --member="serviceAccount:${PUBSUB_AGENT}" --role=roles/pubsub.publisher --project="$PROJECT"
    run gcloud pubsub subscriptions add-iam-policy-binding "$SUBSCRIPTION" \
        --member="serviceAccount:${PUBSUB_AGENT}" --role=roles/pubsub.subscriber \
        --project="$PROJECT"

    # The dispatcher: reads the registry, may publish to the runs topic and nothing else.
    run gcloud pubsub topics add-iam-policy-binding "$RUNS_TOPIC" \
        --member="serviceAccount:${DISPATCH_EMAIL}" --role=roles/pubsub.publisher \
        --project="$PROJECT"
    deploy_function "$DISPATCHER" --entry-point=dispatch_http --trigger-http \
        --no-allow-unauthenticated --service-account="$DISPATCH_EMAIL" \
        --set-env-vars="GROUPTIER_REGISTRY_ID=${REGISTRY_ID},GROUPTIER_TOPIC=projects/${PROJECT}/topics/${RUNS_TOPIC}" \
        --memory=512Mi --timeout=300s --max-instances=1 --project="$PROJECT"
    URL="$(function_url "$DISPATCHER" URL)"
    run gcloud functions add-invoker-policy-binding "$DISPATCHER" --region="$REGION" \
        --member="serviceAccount:${SCHEDULER_EMAIL}" --project="$PROJECT"
    JOB="${NAME}-hourly"
    # Minute 0 of every hour in UTC: each community's own hour is worked out per row.
    JOB_ARGS=(--schedule="0 * * * *" --time-zone=UTC --attempt-deadline=300s
        --max-retry-attempts=3 --min-backoff=60s)
    SERVICES="(\"${NAME}\" OR \"${DISPATCHER}\")"
fi

# The trigger, with an OIDC token whose audience is the function's own URL.
verb=create
if exists gcloud scheduler jobs describe "$JOB" --location="$REGION" --project="$PROJECT"; then
    verb=update
fi
run gcloud scheduler jobs "$verb" http "$JOB" --location="$REGION" "${JOB_ARGS[@]}" \
    --uri="$URL" --http-method=POST --oidc-service-account-email="$SCHEDULER_EMAIL" \
    --oidc-token-audience="$URL" --project="$PROJECT"

# --- 6. An e-mail when a run (or a dispatch) fails or finds a sheet invalid ---------------
FILTER="resource.type=\"cloud_run_revision\" AND resource.labels.service_name=${SERVICES}"
FILTER+=" AND (severity>=ERROR OR jsonPayload.status=\"invalid\")"
if ! exists gcloud logging metrics describe "$METRIC" --project="$PROJECT"; then
    run gcloud logging metrics create "$METRIC" \
        --description="grouptier runs that failed or found a sheet invalid" \
        --log-filter="$FILTER" --project="$PROJECT"
fi
POLICY_NAME="grouptier: a run failed or a sheet is invalid"

# The alerting policy, on one line: any failed or invalid run in 5 minutes.
policy_json() {
    local condition documentation
    condition="{\"displayName\":\"failed or invalid grouptier run\",\"conditionThreshold\":{"
    condition+="\"filter\":\"metric.type=\\\"logging.googleapis.com/user/${METRIC}\\\" AND "
    condition+="resource.type=\\\"cloud_run_revision\\\"\",\"comparison\":\"COMPARISON_GT\","
    condition+="\"thresholdValue\":0,\"duration\":\"0s\",\"aggregations\":[{"
    condition+="\"alignmentPeriod\":\"300s\",\"perSeriesAligner\":\"ALIGN_COUNT\"}]}}"
    documentation="A grouptier run failed or found a community sheet (or the registry) invalid. "
    documentation+="Open the sheet's Runs tab: its last row says what is wrong (the cells to fix, "
    documentation+="or why the sheet could not be reached). For the registry, the log entry of "
    documentation+="grouptier.dispatch names the Communities cells."
    printf '{"displayName":"%s","combiner":"OR","conditions":[%s],' "$POLICY_NAME" "$condition"
    printf '"documentation":{"content":"%s","mimeType":"text/markdown"}}' "$documentation"
}

policy_exists() {
    [[ "$DRY_RUN" == 0 ]] && [[ -n "$(gcloud monitoring policies list --project="$PROJECT" \
        --filter="displayName=\"${POLICY_NAME}\"" --format="value(name)")" ]]
}

if ! policy_exists; then
    CHANNEL="$(value_of CHANNEL gcloud beta monitoring channels create \
        --display-name="grouptier alerts" --type=email \
        --channel-labels="email_address=${ALERT_EMAIL}" --format="value(name)" \
        --project="$PROJECT")"
    run gcloud monitoring policies create --policy="$(policy_json)" \
        --notification-channels="$CHANNEL" --project="$PROJECT"
fi

# --- 7. The steps only a manager can do -------------------------------------------------
if [[ -z "$REGISTRY" ]]; then
    cat <<DONE
# Done. One step is left for a manager of the community sheet:
#   open the sheet, click Share, add ${FUNCTION_EMAIL} as an Editor.
# The first run: gcloud scheduler jobs run ${JOB} --location=${REGION} --project=${PROJECT}
# Alerts go to ${ALERT_EMAIL} (confirm the address when Google asks).
DONE
else
    cat <<DONE
# Done. Steps left for people:
#   the admin sheet: click Share, add ${DISPATCH_EMAIL} as a Viewer;
#   every community sheet in its Communities tab: Share with ${FUNCTION_EMAIL} as an Editor.
# Runs: up to ${MAX_INSTANCES} at a time (Sheets: ${SHEETS_READS_PER_MINUTE} reads a minute).
# Dispatch an hour now: gcloud scheduler jobs run ${JOB} --location=${REGION} --project=${PROJECT}
# Dead letters (runs that failed ${MAX_DELIVERY_ATTEMPTS} times), to inspect:
#   gcloud pubsub subscriptions pull ${DEAD_KEEP} --limit=10 --project=${PROJECT}
# Alerts go to ${ALERT_EMAIL} (confirm the address when Google asks).
DONE
fi
