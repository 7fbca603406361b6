"""What every benchmark prints the same way: the machine, percentiles, a latency spread."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
from pathlib import Path
from types import ModuleType


def machine(*libraries: ModuleType) -> str:
    """CPU, cores, memory, Python and the given libraries' versions, for bench/RESULTS.md."""
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    versions = "".join(
        f", {library.__name__} {getattr(library, '__version__', '?')}" for library in libraries
    )
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}{versions}"
    )


def load_average() -> str:
    if not hasattr(os, "getloadavg"):
        return "load average n/a"
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def cpu_times() -> list[int] | None:
    """The machine's CPU time counters from /proc/stat (user, nice, system, idle, iowait,
    irq, softirq, steal); None where there is no /proc."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            return [int(n) for n in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None


def steal_share(before: list[int] | None, after: list[int] | None) -> str:
    """How much of the machine's CPU time between two `cpu_times()` the hypervisor gave to
    other machines ("steal"): a run measured while it is high measured a slower machine."""
    if not before or not after:
        return "steal n/a"
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    if total <= 0:
        return "steal n/a"
    busy = total - spent[3] - spent[4]
    return f"busy {busy / total:.0%} of both cores, steal {spent[7] / total:.1%}"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def spread(values: list[float], unit: str = "ms") -> str:
    """p50, p95, p99 and max of durations given in seconds, shown in ms or s."""
    if not values:
        return "none"
    scale, width, digits = (1000, 6, 0) if unit == "ms" else (1, 6, 2)
    shown = [v * scale for v in values]
    figures = (
        ("p50", statistics.median(shown)),
        ("p95", percentile(shown, 0.95)),
        ("p99", percentile(shown, 0.99)),
        ("max", max(shown)),
    )
    return "  ".join(f"{name} {value:{width}.{digits}f} {unit}" for name, value in figures) + (
        f"  (n={len(shown)})"
    )
