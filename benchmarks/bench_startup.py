"""How long the desktop app takes to show its window on the demo archive.

Runs ``python -m desktop --archive DEMO`` in a fresh subprocess several
times and prints, for each run, the seconds from launching the process to
the window's first ``show`` and first paint (the app prints those moments
when ``CASEFILE_STARTUP_PROBE`` is set). The goal is under 1.5 s.

    python benchmarks/bench_startup.py [--runs 7] [--platform offscreen]

The demo archive is built once first, in a throw-away data folder, so the
runs measure start-up and not the first-use indexing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.5


def build_demo(data_dir: Path) -> Path:
    env = dict(os.environ, CASEFILE_DATA_DIR=str(data_dir))
    code = ("from archive import open_demo_archive\n"
            "arc = open_demo_archive()\nprint(arc.path)\narc.close()\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def one_run(archive: Path, data_dir: Path, platform: str) -> tuple[float, float]:
    env = dict(os.environ, CASEFILE_DATA_DIR=str(data_dir), CASEFILE_STARTUP_PROBE="exit")
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    start = time.time()
    proc = subprocess.run([sys.executable, "-m", "desktop", "--archive", str(archive)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    marks = {}
    for line in proc.stdout.splitlines():
        if line.startswith("casefile-startup-"):
            name, value = line.split()
            marks[name.rsplit("-", 1)[1]] = float(value) - start
    if "shown" not in marks or "painted" not in marks:
        raise SystemExit(f"the app did not report its start-up (exit {proc.returncode}):\n{proc.stderr}")
    return marks["shown"], marks["painted"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                        help="Qt platform plugin (offscreen by default; '' for the desktop's own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefile-bench-") as tmp:
        data_dir = Path(tmp)
        t0 = time.time()
        archive = build_demo(data_dir)
        print(f"demo archive built in {time.time() - t0:.1f} s")
        shown, painted = [], []
        for i in range(args.runs):
            s, p = one_run(archive, data_dir, args.platform)
            shown.append(s)
            painted.append(p)
            print(f"run {i + 1}: shown {s:.3f} s, first paint {p:.3f} s")
    for label, values in (("shown", shown), ("first paint", painted)):
        print(f"{label}: min {min(values):.3f} s, median {statistics.median(values):.3f} s, "
              f"max {max(values):.3f} s")
    ok = statistics.median(painted) < GOAL_S
    print(f"goal: window painted within {GOAL_S} s -> {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
