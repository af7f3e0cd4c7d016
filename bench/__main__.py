"""``python -m bench``: run every ``bench/*_bench.py`` and keep the results.

Each module's ``run(quick: bool) -> dict`` is called in turn; its result is written to
``bench/results/NAME.json`` together with the machine it ran on (CPU model, cores, RAM,
Python, date, load average before and after: other work on the machine skews figures), and a
one-line summary per benchmark is printed. A full run of the ssh benchmark also rewrites
``bench/results/SUMMARY.md``, the table the README quotes.

Usage: python -m bench [--quick] [--only NAME ...]   (NAME: ssh, bus, ledger, render)
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def available() -> list[str]:
    return sorted(path.stem.removesuffix("_bench") for path in HERE.glob("*_bench.py"))


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_avg_before": [round(x, 2) for x in os.getloadavg()],
    }


def run_one(name: str, quick: bool) -> dict[str, Any]:
    module = importlib.import_module(f"bench.{name}_bench")
    info = machine()
    started = time.perf_counter()
    result: dict[str, Any] = module.run(quick)
    info["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    info["seconds"] = round(time.perf_counter() - started, 1)
    info["quick"] = quick
    document = {**result, "machine": info}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")
    if name == "ssh" and not quick:
        from bench.summary import ssh_summary

        (RESULTS / "SUMMARY.md").write_text(ssh_summary(document))
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small, fast versions")
    parser.add_argument(
        "--only", action="append", choices=available(), metavar="NAME", help="run just NAME"
    )
    args = parser.parse_args(argv)
    names = args.only or available()
    for name in names:
        print(f"== {name} ...", file=sys.stderr, flush=True)
        document = run_one(name, args.quick)
        keys = [k for k in document if k != "machine"]
        print(
            f"== {name}: {document['machine']['seconds']} s -> bench/results/{name}.json "
            f"({', '.join(keys)})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
