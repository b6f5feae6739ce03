"""The one place every Google Sheets request goes through: endpoint, credentials, retries, errors.

`SheetsHTTPClient` is gspread's `HTTPClient` with its `request` replaced:

- it sends `https://sheets.googleapis.com` traffic to `GROUPTIER_SHEETS_ENDPOINT`
  when that is set (a proxy, or the local fake the tests use);
- it retries 408, 429 and 5xx answers, timeouts and dropped connections with
  exponential backoff and jitter, bounded in attempts and in total time
  (`RetryPolicy`), honouring `Retry-After`;
- a write that may or may not have been applied (a 5xx or a timeout after it
  was sent) is retried only after the caller's check (`unsure`) says it was
  not applied, so a retry never applies a change twice; after a timeout the
  request may still be in Google's hands and be applied later, so a check that
  finds it not applied (yet) raises `SheetUnsureError` instead of resending it;
- when retries run out, or the answer is final (400, 401, 403, 404), it raises
  a `SheetError` that tells the manager what to do.

gspread's own `BackOffHTTPClient` retries without bound and without jitter,
which is why grouptier has its own.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
import google.auth.exceptions
import gspread
import requests
import urllib3
from google.auth.credentials import Credentials
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials as UserCredentials

from grouptier.errors import (
    SheetAccessError,
    SheetError,
    SheetLimitError,
    SheetUnavailableError,
    SheetUnsureError,
)

__all__ = [
    "ENDPOINT_ENV",
    "GOOGLE_ENDPOINT",
    "SCOPES",
    "RetryPolicy",
    "SheetsHTTPClient",
    "load_credentials",
]

ENDPOINT_ENV = "GROUPTIER_SHEETS_ENDPOINT"
GOOGLE_ENDPOINT = "https://sheets.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
FINAL_ACCESS_STATUSES = frozenset({401, 403, 404})
CELL_LIMIT = 10_000_000


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one request is tried: Google's advice is min(2^n s + jitter, 32-64 s), bounded.

    `attempts` counts the first try; `deadline` bounds the seconds spent on one
    request including the waits; `timeout` is (connect, read) seconds per attempt
    (the API itself gives up on a request after 180 s).
    """

    attempts: int = 6
    first_delay: float = 1.0
    max_delay: float = 32.0
    deadline: float = 180.0
    timeout: tuple[float, float] = (10.0, 120.0)

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based): half fixed, half random."""
        ceiling = min(self.max_delay, self.first_delay * 2 ** (attempt - 1))
        wait = ceiling / 2 + rng.uniform(0, ceiling / 2)
        return float(min(self.max_delay, max(wait, retry_after or 0.0)))


def load_credentials(key_file: str | None = None) -> Credentials:
    """Credentials from `key_file` when given, else Application Default Credentials.

    `key_file` is a service-account key, or an OAuth client ("Desktop app")
    file for a person's own Google login where an organisation blocks
    service-account keys: the browser opens once and the login is kept in
    `~/.config/grouptier/authorized_user.json` (gspread's local-server flow).
    ADC reads `GOOGLE_APPLICATION_CREDENTIALS`, the `gcloud auth
    application-default login` user login, or the Cloud Function's account.
    """
    try:
        if key_file:
            info = json.loads(Path(key_file).read_text(encoding="utf-8"))
            if "installed" in info:
                return _user_login(info)
            return service_account.Credentials.from_service_account_info(  # type: ignore[no-any-return,no-untyped-call]
                info, scopes=list(SCOPES)
            )
        credentials, _ = google.auth.default(scopes=list(SCOPES))
    except (google.auth.exceptions.DefaultCredentialsError, OSError, ValueError) as exc:
        raise SheetError(
            "Google Sheets",
            "no usable Google credentials: give a service-account key file with --credentials "
            "or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login "
            "--scopes=https://www.googleapis.com/auth/spreadsheets,"
            f"https://www.googleapis.com/auth/cloud-platform` ({exc})",
        ) from exc
    return credentials


def user_login_file() -> Path:
    """Where a person's own Google login is kept between runs."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "grouptier" / "authorized_user.json"


def _user_login(client: dict[str, Any]) -> Credentials:
    saved = user_login_file()
    if saved.exists():
        return UserCredentials.from_authorized_user_file(str(saved), list(SCOPES))  # type: ignore[no-any-return,no-untyped-call]
    credentials = gspread.auth.local_server_flow(client, SCOPES)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(credentials.to_json(strip=["token"]), encoding="utf-8")  # type: ignore[no-untyped-call]
    saved.chmod(0o600)
    return credentials


class SheetsHTTPClient(gspread.HTTPClient):
    """gspread's HTTP client with a redirectable endpoint, bounded retries and clear errors."""

    def __init__(
        self,
        auth: Credentials,
        location: str,
        *,
        endpoint: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(auth)
        self.location = location
        self.policy = policy or RetryPolicy()
        self.endpoint = (endpoint or os.environ.get(ENDPOINT_ENV) or GOOGLE_ENDPOINT).rstrip("/")
        self.timeout = self.policy.timeout
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._was_applied: Callable[[], bool] | None = None
        self._repeatable = False

    @contextmanager
    def unsure(
        self, was_applied: Callable[[], bool], *, repeatable: bool = False
    ) -> Iterator[None]:
        """Let writes inside be retried after an ambiguous failure, once `was_applied()` is False.

        A write whose request may still be in Google's hands (a timeout, a
        dropped connection, a 504) is not sent again even then, since it may
        land after the check: unless it is `repeatable` (it sets fixed cells,
        so landing twice changes nothing); pass `lambda: False` for those.
        """
        self._was_applied, self._repeatable = was_applied, repeatable
        try:
            yield
        finally:
            self._was_applied, self._repeatable = None, False

    def request(  # noqa: PLR0917 - gspread's signature
        self,
        method: str,
        endpoint: str,
        params: MutableMapping[str, Any] | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one API request, retrying as `policy` allows; raise a `SheetError` if it fails."""
        url = self._redirect(endpoint)
        started, waited = time.monotonic(), 0.0
        writes = method.upper() != "GET"
        checker, self._was_applied = self._was_applied, None  # a check serves one request
        repeatable = self._repeatable
        sent = {"params": params, "data": data, "json": json, "files": files, "headers": headers}
        last = "no answer"
        for attempt in range(1, self.policy.attempts + 1):
            outcome = self._attempt(method, url, sent)
            if isinstance(outcome, requests.Response):
                return outcome
            last = outcome.what
            if writes and outcome.ambiguous:
                if checker is None:  # applied or not, nobody can tell: never send it twice blindly
                    raise SheetUnsureError(self.location, attempt, last)
                if _applied(checker, self.location, attempt, last):
                    return _confirmed()
                if outcome.pending and not repeatable:  # it may land yet: a resend could too
                    raise SheetUnsureError(self.location, attempt, last)
            wait = self.policy.delay(attempt, self._rng, outcome.retry_after)
            spent = max(time.monotonic() - started, waited)  # `sleep` may be a test's stand-in
            if attempt == self.policy.attempts or spent + wait > self.policy.deadline:
                break
            self._sleep(wait)
            waited += wait
        raise SheetUnavailableError(self.location, attempt, last)

    def _attempt(
        self, method: str, url: str, sent: Mapping[str, Any]
    ) -> requests.Response | _Failure:
        """One try: the answer, or why it failed in a way worth retrying (others raise)."""
        try:
            response = self.session.request(method, url, timeout=self.timeout, **sent)
        except requests.ConnectTimeout as exc:
            return _Failure(f"no connection ({exc.__class__.__name__})", ambiguous=False)
        except requests.Timeout as exc:
            return _Failure(exc.__class__.__name__, ambiguous=True, pending=True)
        except requests.ConnectionError as exc:
            if _never_connected(exc):
                return _Failure(f"no connection ({exc.__class__.__name__})", ambiguous=False)
            # Dropped once sent: Google may still be applying it, as after a timeout.
            return _Failure(exc.__class__.__name__, ambiguous=True, pending=True)
        except google.auth.exceptions.RefreshError as exc:
            if not _transient(exc):
                raise SheetAccessError(self.location, 401, _account(self)) from exc
            # Not sent yet: a token that could not be fetched never makes a write ambiguous.
            return _Failure("the token service did not answer", ambiguous=False)
        except google.auth.exceptions.TransportError as exc:
            return _Failure(f"token service unreachable ({exc})", ambiguous=False)
        if response.ok:
            return response
        if response.status_code not in RETRY_STATUSES:
            raise self._final_error(response)
        return _Failure(
            f"HTTP {response.status_code}",
            ambiguous=response.status_code not in (408, 429),
            retry_after=_retry_after(response),
            pending=response.status_code == 504,  # the gateway gave up; the backend may not have
        )

    def _redirect(self, url: str) -> str:
        if url.startswith(GOOGLE_ENDPOINT) and self.endpoint != GOOGLE_ENDPOINT:
            return self.endpoint + url[len(GOOGLE_ENDPOINT) :]
        return url

    def _final_error(self, response: requests.Response) -> SheetError:
        status = response.status_code
        message = _api_message(response)
        if status in FINAL_ACCESS_STATUSES:
            return SheetAccessError(self.location, status, _account(self), message)
        if "limit of 10000000 cells" in message:
            return SheetLimitError(self.location, CELL_LIMIT + 1, CELL_LIMIT)
        return SheetError(
            self.location, f"Google Sheets refused the request (HTTP {status}: {message})"
        )


def _account(client: SheetsHTTPClient) -> str:
    email = getattr(client.auth, "service_account_email", "")
    return email if isinstance(email, str) and "@" in email else ""


def _api_message(response: requests.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None


@dataclass(frozen=True)
class _Failure:
    """A try that failed for now: what happened, and whether a write may have been applied.

    `pending`: the request may still be being applied (a timeout: the client
    stopped waiting, the server did not necessarily stop working).
    """

    what: str
    ambiguous: bool
    retry_after: float | None = None
    pending: bool = False


def _never_connected(error: requests.ConnectionError) -> bool:
    """True when no connection was made (refused, no such host): nothing was sent."""
    seen: BaseException | None = error
    while seen is not None:
        reason = getattr(seen, "reason", None)
        if isinstance(seen, urllib3.exceptions.NewConnectionError) or isinstance(
            reason, urllib3.exceptions.NewConnectionError
        ):
            return True
        seen = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
    return False


def _transient(error: google.auth.exceptions.RefreshError) -> bool:
    """A token refresh that failed for now (the token service or metadata server down).

    google-auth marks the token endpoint's 5xx and 429 answers `retryable`; the
    metadata server's outages arrive as a `TransportError` inside the error.
    """
    causes = (error.__cause__, *error.args)
    return bool(error.retryable) or any(
        isinstance(cause, google.auth.exceptions.TransportError) for cause in causes
    )


def _applied(checker: Callable[[], bool], location: str, attempt: int, last: str) -> bool:
    """What `checker` says of an unanswered write; unsure when it cannot ask Google either."""
    try:
        return checker()
    except SheetError as error:
        raise SheetUnsureError(location, attempt, last) from error


def _confirmed() -> requests.Response:
    """The answer to a write that a check found applied after its answer was lost."""
    response = requests.Response()
    response.status_code = 200
    response._content = b'{"replies": []}'
    return response
