#!/usr/bin/env python3
"""Draws a load run's JSON (timebank-loadgen --out) as PNG plots: finalised and submitted
transactions per second, and the median submit-to-finalised latency per second, one line per run.

Usage: bench/plot.py bench-results/load.json   (writes load-tps.png and load-latency.png beside it)
Needs matplotlib (scripts/load-test installs it with pip when missing).
"""
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def label(number: int, run: dict) -> str:
    return f'{run.get("targetRate", "?")} tx/s, run {number}'


def main(path: str) -> None:
    source = pathlib.Path(path)
    report = json.loads(source.read_text())
    runs = [run for run in report.get("runs", [report]) if "perSecond" in run]
    if not runs:
        print(f"{source}: no per-second series to plot (state-scale mode)")
        return
    conditions = report["conditions"]
    nodes = len(conditions["rpc"]) if isinstance(conditions["rpc"], list) else 1
    title = f'{conditions["members"]} members, {nodes} node(s)'

    plt.figure(figsize=(8, 4))
    for number, run in enumerate(runs, 1):
        series = run["perSecond"]
        seconds = [row["second"] for row in series]
        plt.plot(seconds, [row["finalised"] for row in series], label=label(number, run))
    plt.xlabel("second of the run")
    plt.ylabel("transactions finalised per second")
    plt.title(title)
    plt.legend()
    plt.grid(alpha=0.3)
    tps = source.with_name(source.stem + "-tps.png")
    plt.savefig(tps, dpi=100, bbox_inches="tight")

    plt.figure(figsize=(8, 4))
    for number, run in enumerate(runs, 1):
        points = [(row["second"], row["finalisedLatencyP50"]) for row in run["perSecond"]
                  if row["finalisedLatencyP50"] is not None]
        plt.plot([p[0] for p in points], [p[1] for p in points], label=label(number, run))
    plt.xlabel("second of the run (when finalised)")
    plt.ylabel("submit → finalised, median of the second (s)")
    plt.title(title)
    plt.legend()
    plt.grid(alpha=0.3)
    latency = source.with_name(source.stem + "-latency.png")
    plt.savefig(latency, dpi=100, bbox_inches="tight")
    print(f"wrote {tps} and {latency}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
