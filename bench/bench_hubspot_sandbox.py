"""Throughput of the HubSpot sandbox: simple authenticated GETs and 100-record batch upserts.

The sandbox runs in its own process with its limits raised out of the way. The load comes
from several client processes, each on one kept-alive `http.client` connection, so that the
figures measure the sandbox rather than a client library or a shared GIL.
Run `python -m bench hubspot_sandbox` (or `make bench` for all).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import subprocess
import time
from typing import Any

from bench.servers import hubspot_sandbox

TOKEN = "bench-token"
CLIENT_PROCESSES = 4
BATCH_SIZE = 100
_HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def _start_sandbox() -> tuple[subprocess.Popen[str], int]:
    raised = "1000000000"
    limits = ["--rate-limit", raised, "--daily-limit", raised, "--search-per-second", raised]
    return hubspot_sandbox(["--token", TOKEN, *limits])


def _call(conn: http.client.HTTPConnection, method: str, path: str, body: Any = None) -> Any:
    payload = None if body is None else json.dumps(body)
    conn.request(method, path, body=payload, headers=_HEADERS)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path} answered {response.status}: {data[:200]!r}")
    return json.loads(data)


def _client(port: int, scenario: str, target: str, seconds: float, worker: int) -> int:
    """One client process: calls completed before the deadline."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if scenario == "get":
            _call(conn, "GET", f"/crm/v3/objects/contacts/{target}")
        else:
            # Every second call repeats the keys of the one before: half creates, half updates.
            key = f"w{worker}-{done // 2}"
            inputs = [
                {
                    "idProperty": "bench_key",
                    "id": f"{key}-{i}",
                    "properties": {"name": f"Product {i}", "price": "19.99"},
                }
                for i in range(BATCH_SIZE)
            ]
            _call(conn, "POST", "/crm/v3/objects/products/batch/upsert", {"inputs": inputs})
        done += 1
    conn.close()
    return done


def _load(port: int, scenario: str, target: str, seconds: float) -> float:
    """Calls per second completed by CLIENT_PROCESSES processes in `seconds`."""
    args = [(port, scenario, target, seconds, w) for w in range(CLIENT_PROCESSES)]
    with multiprocessing.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
        counts = pool.starmap(_client, args)
    return sum(counts) / seconds


def _setup(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    _call(
        conn,
        "POST",
        "/crm/v3/properties/products",
        {
            "name": "bench_key",
            "label": "Bench key",
            "type": "string",
            "fieldType": "text",
            "groupName": "productinformation",
            "hasUniqueValue": True,
        },
    )
    contact = _call(conn, "POST", "/crm/v3/objects/contacts", {"properties": {"firstname": "B"}})
    conn.close()
    return str(contact["id"])


def run(seconds: float = 3.0) -> dict[str, Any]:
    process, port = _start_sandbox()
    try:
        contact_id = _setup(port)
        gets = _load(port, "get", contact_id, seconds)
        upserts = _load(port, "upsert", "", seconds)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {
        "client_processes": CLIENT_PROCESSES,
        "seconds_per_scenario": seconds,
        "simple_get_requests_per_second": round(gets, 1),
        "batch_upsert_requests_per_second": round(upserts, 1),
        "batch_upsert_records_per_second": round(upserts * BATCH_SIZE, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
