"""The HTTP layer and the command line: keep-alive, chunked bodies, bad requests, start-up."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from sandbox.hubspot import SandboxConfig, create_server

from .conftest import TOKEN, Crm

REPO = Path(__file__).resolve().parents[2]
READY = re.compile(r"^hubspot sandbox listening on http://127\.0\.0\.1:(\d+)$")
AUTH = f"Authorization: Bearer {TOKEN}\r\n"


def _raw(hubspot_url: str, payload: bytes) -> bytes:
    """Send raw bytes on one connection and read until the server closes it."""
    address = urlsplit(hubspot_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
        conn.sendall(payload)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_keep_alive_serves_several_requests_on_one_connection(hubspot_url: str) -> None:
    request = f"GET /crm/v3/objects/contacts HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n"
    last = f"GET /crm/v3/objects/contacts HTTP/1.1\r\nHost: x\r\n{AUTH}Connection: close\r\n\r\n"
    reply = _raw(hubspot_url, (request * 2 + last).encode())
    assert reply.count(b"HTTP/1.1 200 OK") == 3
    assert reply.count(b"Connection: close") == 1


def test_chunked_body_and_expect_continue(hubspot_url: str, hs: httpx.Client) -> None:
    body = b'{"properties": {"firstname": "Chunky"}}'
    head = (
        "POST /crm/v3/objects/contacts HTTP/1.1\r\nHost: x\r\n"
        f"{AUTH}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        "Expect: 100-continue\r\nConnection: close\r\n\r\n"
    ).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    reply = _raw(hubspot_url, head + chunked)
    assert reply.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created")
    found = hs.post("/crm/v3/objects/contacts/search", json={"query": "chunky"}).json()
    assert found["total"] == 1


def test_malformed_request_is_400_and_closes(hubspot_url: str) -> None:
    reply = _raw(hubspot_url, b"NONSENSE\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 Bad Request")
    assert b"Connection: close" in reply


def test_percent_encoded_id_in_path(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="zoë@example.com")
    response = hs.get("/crm/v3/objects/contacts/zo%C3%AB%40example.com?idProperty=email")
    assert response.status_code == 200
    assert response.json()["properties"]["email"] == "zoë@example.com"


def test_unknown_path_and_method(hs: httpx.Client) -> None:
    assert hs.get("/crm/v3/nothing/here").status_code == 404
    assert hs.post("/crm/v3/objects/contacts/123").status_code == 405


def test_create_server_serves_until_shutdown() -> None:
    server = create_server(SandboxConfig(token="t"))
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/account-info/v3/details"
        details = httpx.get(url, headers={"Authorization": "Bearer t"}).json()
        assert details["portalId"] == SandboxConfig().portal_id
        assert {"timeZone", "companyCurrency", "utcOffset"} <= set(details)
    finally:
        server.shutdown()
        server.server_close()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_command_line_prints_ready_line_and_applies_flags() -> None:
    flags = ["--rate-limit", "5", "--window-seconds", "1", "--portal-id", "4242"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.hubspot", "--port", "0", "--token", "cli-token", *flags],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = READY.match(process.stdout.readline().strip())
        assert match is not None
        url = f"http://127.0.0.1:{match.group(1)}/account-info/v3/details"
        response = httpx.get(url, headers={"Authorization": "Bearer cli-token"})
        assert response.json()["portalId"] == 4242
        assert response.headers["X-HubSpot-RateLimit-Max"] == "5"
        assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "1000"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_command_line_refuses_bad_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.hubspot", "--fault-500", "1.5"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "fault_500_probability" in result.stderr
