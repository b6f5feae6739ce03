"""Publishing to Google Cloud Pub/Sub over its REST API: batches, retries and errors in one place.

`POST https://pubsub.googleapis.com/v1/{topic}:publish` with
`{"messages": [{"data": BASE64, "attributes": {...}}]}` answers
`{"messageIds": [...]}` in the order sent (Google's REST reference,
projects.topics.publish). A request carries at most 1,000 messages and
10 MB (Pub/Sub's quotas page), so messages go in batches under both.

- `GROUPTIER_PUBSUB_ENDPOINT` sends the traffic elsewhere (the tests' local fake);
- 408, 429 and 5xx answers, timeouts and dropped connections are retried with
  the same bounded, jittered backoff as the Sheets client (`RetryPolicy`);
- a final answer (400, 403, 404) or retries running out raise `PublishError`,
  with Google's own reason (`PERMISSION_DENIED`, `NOT_FOUND`...) in its text.

A publish retried after an unanswered attempt may deliver a message twice;
that is harmless here, since a community run is applied once per cycle
whatever triggers it. The client library (google-cloud-pubsub) is not used:
it would add gRPC to the function for one REST call an hour.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import google.auth
import google.auth.exceptions
import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession

from grouptier.backends.sheets_http import RetryPolicy
from grouptier.errors import PublishError, UsageError

__all__ = [
    "ENDPOINT_ENV",
    "MAX_MESSAGES",
    "Message",
    "Publisher",
    "topic_path",
]

ENDPOINT_ENV = "GROUPTIER_PUBSUB_ENDPOINT"
GOOGLE_ENDPOINT = "https://pubsub.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/pubsub",)
MAX_MESSAGES = 1_000
# Google's limit is 10 MB a request; the JSON envelope and base64 need headroom.
MAX_REQUEST_BYTES = 9_000_000
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_TOPIC = re.compile(r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][\w.~+%-]{2,254}$")


def topic_path(text: str) -> str:
    """`projects/P/topics/T` checked for shape; raise `UsageError` otherwise."""
    path = text.strip()
    if not _TOPIC.match(path):
        raise UsageError(
            f'"{text}" is not a Pub/Sub topic; write it as projects/PROJECT_ID/topics/TOPIC'
        )
    return path


@dataclass(frozen=True)
class Message:
    """One Pub/Sub message: bytes and string attributes (what `run_pubsub` reads)."""

    data: bytes
    attributes: Mapping[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The message as the REST API takes it (data base64-encoded)."""
        return {"data": base64.b64encode(self.data).decode(), "attributes": dict(self.attributes)}


class Publisher:
    """Publishes to one topic with Application Default Credentials (or `credentials`)."""

    def __init__(
        self,
        topic: str,
        *,
        credentials: Credentials | None = None,
        endpoint: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.topic = topic_path(topic)
        self.endpoint = (endpoint or os.environ.get(ENDPOINT_ENV) or GOOGLE_ENDPOINT).rstrip("/")
        self.policy = policy or RetryPolicy()
        self._credentials = credentials
        self._session: AuthorizedSession | None = None
        self._sleep = sleep
        self._rng = rng or random.Random()

    @property
    def url(self) -> str:
        """The publish method's URL."""
        return f"{self.endpoint}/v1/{self.topic}:publish"

    def publish(self, messages: Sequence[Message]) -> list[str]:
        """Publish every message, in batches; the server's message IDs in order."""
        ids: list[str] = []
        for batch in batches(messages):
            ids += self._send(batch, len(ids))
        return ids

    def _session_or_new(self) -> AuthorizedSession:
        if self._session is None:
            credentials = self._credentials
            if credentials is None:
                try:
                    credentials, _ = google.auth.default(scopes=list(SCOPES))
                except google.auth.exceptions.DefaultCredentialsError as exc:
                    raise PublishError(
                        self.topic, f"no usable Google credentials ({exc})", retryable=False
                    ) from exc
            self._session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        return self._session

    def _send(self, batch: list[dict[str, Any]], published: int) -> list[str]:
        """One publish request, retried as `policy` allows."""
        session = self._session_or_new()
        started, waited, last = time.monotonic(), 0.0, "no answer"
        for attempt in range(1, self.policy.attempts + 1):
            retry_after: float | None = None
            try:
                response = session.post(
                    self.url, json={"messages": batch}, timeout=self.policy.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc.__class__.__name__
            except google.auth.exceptions.RefreshError as exc:
                if not exc.retryable:
                    raise self._error(f"Google refused the credentials ({exc})", published) from exc
                last = "the token service did not answer"
            except google.auth.exceptions.TransportError as exc:
                last = f"token service unreachable ({exc})"
            else:
                if response.ok:
                    return _message_ids(response, len(batch), self.topic, published)
                if response.status_code not in RETRY_STATUSES:
                    raise self._error(_google_says(response), published)
                last, retry_after = f"HTTP {response.status_code}", _retry_after(response)
            wait = self.policy.delay(attempt, self._rng, retry_after)
            spent = max(time.monotonic() - started, waited)
            if attempt == self.policy.attempts or spent + wait > self.policy.deadline:
                break
            self._sleep(wait)
            waited += wait
        raise PublishError(
            self.topic,
            f"Pub/Sub did not take the messages after {attempt} attempts (last: {last})",
            retryable=True,
            published=published,
        )

    def _error(self, reason: str, published: int) -> PublishError:
        return PublishError(self.topic, reason, retryable=False, published=published)


def batches(messages: Sequence[Message]) -> Iterator[list[dict[str, Any]]]:
    """The messages' bodies in groups of at most 1,000 and about 9 MB."""
    batch: list[dict[str, Any]] = []
    size = 0
    for message in messages:
        body = message.body()
        length = len(json.dumps(body)) + 1
        if batch and (len(batch) == MAX_MESSAGES or size + length > MAX_REQUEST_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(body)
        size += length
    if batch:
        yield batch


def _message_ids(response: requests.Response, sent: int, topic: str, published: int) -> list[str]:
    try:
        ids = [str(item) for item in response.json()["messageIds"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise PublishError(
            topic, "Pub/Sub answered without message IDs", retryable=True, published=published
        ) from exc
    if len(ids) != sent:
        raise PublishError(
            topic,
            f"Pub/Sub acknowledged {len(ids)} of {sent} messages",
            retryable=True,
            published=published,
        )
    return ids


def _google_says(response: requests.Response) -> str:
    """`HTTP 403 PERMISSION_DENIED: User not authorized to perform this action.`"""
    try:
        error = response.json()["error"]
        return f"HTTP {response.status_code} {error.get('status', '')}: {error.get('message', '')}"
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
