"""`make bench`: run every benchmark and write the figures to docs/BENCHMARKS.md.

Each benchmark module `bench/bench_*.py` has a `run() -> dict` of figures (a figure that is
a list of rows is shown as a table of its own); `python -m bench NAME...` runs only the named
ones and keeps the others' last figures in the document.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"
RESULTS = ROOT / "docs" / "benchmarks.json"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    memory = ""
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {total_kb / 1024**2:.0f} GB memory"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main(names: list[str]) -> None:
    available = sorted(path.stem for path in (ROOT / "bench").glob("bench_*.py"))
    chosen = [f"bench_{name.removeprefix('bench_')}" for name in names] or available
    for name in chosen:
        print(f"running {name} ...", flush=True)
        module = importlib.import_module(f"bench.{name}")
        figures = module.run()
        command = f"make bench  (or: python -m bench {name.removeprefix('bench_')})"
        record(name, module.__doc__ or name, figures, command)
        print(json.dumps(figures, indent=2), flush=True)


def record(name: str, about: str, figures: dict[str, Any], command: str) -> None:
    """Keep a run's figures under `name` in docs/benchmarks.json and rewrite the document,
    with the other runs' last figures."""
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = {
        "title": about.strip().splitlines()[0],
        "about": about.strip(),
        "figures": figures,
        "command": command,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    DOC.write_text(render(results))
    print(f"wrote {DOC.relative_to(ROOT)}")


def render(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); every figure below comes from the run",
        "named under it. Machines here are shared and noisy: compare figures measured side by",
        "side in one run, as ratios, rather than across runs.",
        "",
    ]
    for _, result in sorted(results.items()):
        lines += [f"## {result['title']}", ""]
        about = result["about"].split("\n", 1)
        if len(about) > 1:
            lines += [about[1].strip(), ""]
        figures = result["figures"]
        tables = {key: value for key, value in figures.items() if _is_table(value)}
        lines += ["| figure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in figures.items() if key not in tables]
        for key, rows in tables.items():
            lines += ["", f"{key}:", "", *_table(rows)]
        lines += [
            "",
            f"Command: `{result['command']}` — machine: {result['machine']} — {result['date']}.",
            "",
        ]
    return "\n".join(lines)


def _is_table(value: Any) -> bool:
    """A figure that is a list of rows with the same keys: a curve, shown as its own table."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, dict) and row.keys() == value[0].keys() for row in value)
    )


def _table(rows: list[dict[str, Any]]) -> list[str]:
    columns = list(rows[0])
    return [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows),
    ]


if __name__ == "__main__":
    main(sys.argv[1:])
