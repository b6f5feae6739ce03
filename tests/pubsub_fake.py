"""A local Google Cloud Pub/Sub publish fake: a real HTTP server on 127.0.0.1.

Test infrastructure, not product code. It implements the one method the
dispatcher calls, in the shape of Google's REST reference
(https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish):

    POST /v1/projects/{project}/topics/{topic}:publish
    {"messages": [{"data": BASE64, "attributes": {"k": "v"}, "orderingKey": "..."}]}
    -> 200 {"messageIds": ["1", "2", ...]}   (one per message, in order)

and refuses what Pub/Sub refuses (https://cloud.google.com/pubsub/quotas):
no bearer token (401), an unknown topic (404 NOT_FOUND), an unknown field,
an empty message list, more than 1,000 messages or 10 MB in one request, data
that is not base64, a message with neither data nor attributes, more than
100 attributes, a key over 256 bytes or starting with `goog`, a value over
1,024 bytes (400 INVALID_ARGUMENT). `inject` adds faults (an error status
for the next N publishes, optionally after accepting them: the answer lost).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from typing import Any

from loopback import Served, send_json

MAX_MESSAGES = 1_000
MAX_REQUEST_BYTES = 10_000_000
MAX_ATTRIBUTES = 100
MAX_KEY_BYTES = 256
MAX_VALUE_BYTES = 1_024
_PATH = re.compile(r"^/v1/(projects/[^/]+/topics/[^/:]+):publish$")
_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
           404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
           503: "UNAVAILABLE"}  # fmt: skip


@dataclass
class PublishFault:
    """Answer `status` to the next `times` publishes (after storing them, with `after_accept`)."""

    status: int
    times: int = 1
    after_accept: bool = False
    message: str = ""


@dataclass(frozen=True)
class Published:
    """One message the fake accepted."""

    topic: str
    message_id: str
    data: bytes
    attributes: dict[str, str]


@dataclass
class PubSubFake(Served):
    """Topics by full name, what was published, fault rules, a count of publish requests."""

    topics: set[str] = field(default_factory=set)
    published: list[Published] = field(default_factory=list)
    faults: list[PublishFault] = field(default_factory=list)
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create_topic(self, name: str) -> str:
        """Add the topic `projects/P/topics/T`."""
        self.topics.add(name)
        return name

    def inject(self, *faults: PublishFault) -> None:
        self.faults.extend(faults)

    def attributes(self, topic: str | None = None) -> list[dict[str, str]]:
        """The attributes of every message accepted (on `topic`), in order."""
        return [m.attributes for m in self.published if topic in (None, m.topic)]

    def serve(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        """The answer to one request: status and JSON body."""
        try:
            return 200, self._publish(method, path, headers, body)
        except _ApiError as error:
            return error.code, error.body()

    def _publish(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        match = _PATH.match(path)
        if method != "POST" or not match:
            raise _ApiError(404, f"Method not found: {method} {path}")
        if not headers.get("authorization", "").startswith("Bearer "):
            raise _ApiError(401, "Request is missing required authentication credential.")
        if len(body) > MAX_REQUEST_BYTES:
            raise _ApiError(
                400, f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
            )
        topic = match.group(1)
        with self._lock:
            self.requests += 1
            fault = self.faults.pop(0) if self.faults else None
            if fault and fault.times > 1:
                self.faults.insert(0, replace(fault, times=fault.times - 1))
        if fault and not fault.after_accept:
            raise _ApiError(fault.status, fault.message)
        if topic not in self.topics:
            raise _ApiError(404, f"Resource not found (resource={topic.rsplit('/', 1)[-1]}).")
        messages = _messages(body)
        with self._lock:
            start = len(self.published)
            accepted = [
                Published(topic, str(start + i + 1), data, attributes)
                for i, (data, attributes) in enumerate(messages)
            ]
            self.published.extend(accepted)
        if fault:
            raise _ApiError(fault.status, fault.message)
        return {"messageIds": [m.message_id for m in accepted]}


def _messages(body: bytes) -> list[tuple[bytes, dict[str, str]]]:
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise _ApiError(400, "Invalid JSON payload received.") from exc
    unknown = set(payload) - {"messages"} if isinstance(payload, dict) else {"(not an object)"}
    if unknown:
        raise _ApiError(400, f'Invalid JSON payload received. Unknown name "{sorted(unknown)[0]}"')
    items = payload.get("messages")
    if not isinstance(items, list) or not items:
        raise _ApiError(400, "The request must contain at least one message.")
    if len(items) > MAX_MESSAGES:
        raise _ApiError(400, f"The value for message_count is too large: {len(items)} > 1000.")
    return [_message(index, item) for index, item in enumerate(items)]


def _message(index: int, item: Any) -> tuple[bytes, dict[str, str]]:
    where = f"messages[{index}]"
    if not isinstance(item, dict) or set(item) - {"data", "attributes", "orderingKey"}:
        raise _ApiError(400, f"Invalid JSON payload received at {where}.")
    try:
        data = base64.b64decode(item.get("data", ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _ApiError(400, f"Invalid value at '{where}.data' (TYPE_BYTES)") from exc
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
    ):
        raise _ApiError(400, f"Invalid value at '{where}.attributes': strings only.")
    if not data and not attributes:
        raise _ApiError(400, "Some messages are empty: each needs data or attributes.")
    if len(attributes) > MAX_ATTRIBUTES:
        raise _ApiError(400, f"{where} has more than {MAX_ATTRIBUTES} attributes.")
    for key, value in attributes.items():
        if not key or len(key.encode()) > MAX_KEY_BYTES or key.startswith("goog"):
            raise _ApiError(400, f"{where} has an invalid attribute key.")
        if len(value.encode()) > MAX_VALUE_BYTES:
            raise _ApiError(400, f"{where} has an attribute value over {MAX_VALUE_BYTES} bytes.")
    return data, attributes


class _ApiError(Exception):
    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message or f"The service answered {code}."

    def body(self) -> dict[str, Any]:
        status = _STATUS.get(self.code, "UNKNOWN")
        return {"error": {"code": self.code, "message": self.message, "status": status}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    service: PubSubFake

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, payload = self.service.serve(self.command, self.path, headers, body)
        data = json.dumps(payload).encode()
        send_json(self, status, data)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: `PubSubFake.published` is the record."""


PubSubFake.handler = _Handler
