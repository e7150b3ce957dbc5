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


def draw(source, suffix, title, runs, points_of, xlabel, ylabel) -> pathlib.Path:
    """One line per run of the (x, y) points `points_of(run)` gives; saved beside the JSON."""
    plt.figure(figsize=(8, 4))
    for number, run in enumerate(runs, 1):
        points = points_of(run)
        plt.plot([p[0] for p in points], [p[1] for p in points], label=label(number, run))
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    plt.title(title)
    plt.legend()
    plt.grid(alpha=0.3)
    path = source.with_name(f"{source.stem}-{suffix}.png")
    plt.savefig(path, dpi=100, bbox_inches="tight")
    return path


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

    def finalised(run: dict) -> list:
        return [(row["second"], row["finalised"]) for row in run["perSecond"]]

    def latency_p50(run: dict) -> list:
        return [(row["second"], row["finalisedLatencyP50"]) for row in run["perSecond"]
                if row["finalisedLatencyP50"] is not None]

    tps = draw(source, "tps", title, runs, finalised, "second of the run",
               "transactions finalised per second")
    latency = draw(source, "latency", title, runs, latency_p50, "second of the run (when finalised)",
                   "submit → finalised, median of the second (s)")
    print(f"wrote {tps} and {latency}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
