#!/usr/bin/python3
"""Peak memory of a streamed general-distillation stage against the corpus's size.

Writes synthetic corpora (random words of the fixture's vocabulary, one text per line) of the
given sizes, runs the same general-distillation experiment on each with the steps capped
(retort-cli run, the fixture teacher, a small student), and prints each run's peak resident
memory (the child's ru_maxrss) and the indexing speed that the run reported. A streamed
corpus keeps one ~4 MB chunk in memory, so the peaks should agree within a few percent.

    tests/bench/stream_memory.py [--cli build/bin/retort-cli] [--sizes-mb 20,2000] [--steps 40]
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEACHER = os.path.join(ROOT, "tests", "fixtures", "bert", "tiny")


def write_corpus(path, megabytes, seed=1):
    words = [w.strip() for w in open(os.path.join(TEACHER, "vocab.txt"), encoding="utf-8")]
    words = [w for w in words if w.isalpha()] or ["tok"]
    rng = random.Random(seed)
    target = int(megabytes * 1e6)
    block = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(4, 24))) for _ in range(20000)) + "\n"
    data = block.encode("utf-8")
    with open(path, "wb") as out:
        written = 0
        while written < target:
            chunk = data[: target - written]
            out.write(chunk)
            written += len(chunk)
        if not chunk.endswith(b"\n"):
            out.write(b"\n")


def run(cli, corpus, out, steps):
    exp = {
        "format": 1, "name": "stream-memory", "threads": 1,
        "task": {"train": os.path.join(ROOT, "tests", "fixtures", "data", "sentiment.tsv"), "max_length": 16},
        "teacher": {"checkpoint": TEACHER, "finetune": "never"},
        "student": {"architecture": {"layers": 2, "hidden": 8, "heads": 2, "ffn": 16, "max_positions": 16}},
        "stages": [{"kind": "general", "corpus": corpus, "optim": {"epochs": 1, "max_steps": steps, "batch_size": 16}}],
        "observer": {"attention_every": 0, "checkpoint_every": 0, "checkpoint_minutes": 0},
    }
    exp_path = out + ".json"
    shutil.rmtree(out, ignore_errors=True)
    with open(exp_path, "w") as f:
        json.dump(exp, f)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.time()
    p = subprocess.run([cli, "run", exp_path, "--out", out], capture_output=True, text=True)
    seconds = time.time() - t0
    if p.returncode != 0:
        sys.exit(f"retort-cli failed ({p.returncode}):\n{p.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before and before > 0:
        print("  (note: ru_maxrss is the largest child so far; run the sizes largest first to be sure)")
    speed = re.search(r"indexed at ([0-9.]+) MB/s", p.stderr)
    return peak / 1024.0, float(speed.group(1)) if speed else float("nan"), seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "retort-cli"))
    ap.add_argument("--sizes-mb", default="20,2000")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--dir", default=None, help="where the corpora go (default: a temporary directory)")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes_mb.split(",")]
    work = args.dir or tempfile.mkdtemp(prefix="retort-stream-")
    print(f"corpora in {work}; {args.steps} steps of batch 16 each")
    rows = []
    for mb in sizes:
        corpus = os.path.join(work, f"corpus-{int(mb)}mb.txt")
        if not os.path.exists(corpus) or os.path.getsize(corpus) < mb * 1e6:
            write_corpus(corpus, mb)
        # A separate python per size: ru_maxrss of RUSAGE_CHILDREN is a maximum over children.
        code = (f"import sys; sys.path.insert(0, {HERE!r}); import stream_memory as s; "
                f"r = s.run({args.cli!r}, {corpus!r}, {os.path.join(work, 'run-' + str(int(mb)))!r}, {args.steps}); "
                f"print(*r)")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(proc.stdout + proc.stderr)
        out = proc.stdout.split()
        peak, speed, seconds = float(out[0]), float(out[1]), float(out[2])
        rows.append((mb, os.path.getsize(corpus) / 1e6, peak, speed, seconds))
        print(f"corpus {os.path.getsize(corpus) / 1e6:8.1f} MB  peak RSS {peak:7.1f} MB  "
              f"indexing {speed:6.0f} MB/s  run {seconds:6.1f} s")
    if len(rows) > 1:
        print(f"peak RSS, largest / smallest corpus: {rows[-1][2] / rows[0][2]:.3f}")


if __name__ == "__main__":
    main()
