#!/usr/bin/python3
"""PyTorch peer of tests/NetGen.Benchmarks: the workloads W1..W4 on one thread, with the system's PyTorch.

    /usr/bin/python3 tests/NetGen.Benchmarks/pytorch_bench.py [--passes 3] [--blas openblas|system]

Needs Debian's python3-torch (PyTorch 1.13) and, for a fair figure, OpenBLAS (libopenblas0-pthread): Debian's
PyTorch calls the BLAS behind libblas.so.3, which is the slow reference BLAS unless OpenBLAS is installed. With
--blas openblas (the default when OpenBLAS is installed) the script runs itself again with OpenBLAS's folder first on
LD_LIBRARY_PATH, whatever the system's libblas.so.3 alternative is; --blas system takes libblas.so.3 as it is.
The table printed names the BLAS library that was really loaded.

Each workload is timed over a fixed number of operations (one pass), after a warm-up; the figure is the median of the
passes. The same workloads as the C# benchmarks (README.md next to this file):
  W1  XOR 2-4-1 (tanh, sigmoid), MSELoss, full-batch SGD lr 0.5 on the 4 samples: one epoch = one step.
  W2  784-128(ReLU)-10(softmax), one [1, 784] input, forward under torch.no_grad().
  W3  784-128(ReLU)-10, CrossEntropyLoss, Adam lr 1e-3, batches of 64 from 60,000 synthetic samples
      (uniform [0, 1) inputs, random labels): one pass = one epoch of 937 batches.
  W4  64-32(tanh)-10, CrossEntropyLoss, SGD lr 0.01, batch 1 over the 1,797 UCI digits of data/digits
      (pixels / 16): one pass = 10 epochs.
"""

import os
import sys

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"


def _reexec_with_openblas():
    """Puts OpenBLAS first on the library path (the loader reads it only at start, hence the new process)."""
    if "--blas" in sys.argv and sys.argv[sys.argv.index("--blas") + 1] == "system":
        return
    if not os.path.exists(os.path.join(OPENBLAS_DIR, "libblas.so.3")):
        return
    if os.environ.get("NETGEN_PYTORCH_BENCH_REEXEC") == "1":
        return
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = OPENBLAS_DIR + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env["NETGEN_PYTORCH_BENCH_REEXEC"] = "1"
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


_reexec_with_openblas()

# One thread everywhere, set before torch loads OpenMP and the BLAS.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gzip  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402


def loaded_blas():
    """The BLAS shared library this process has mapped."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            base = os.path.basename(path)
            if "blas" in base or "mkl" in base:
                names.add(os.path.realpath(path))
    return ", ".join(sorted(names)) or "none found"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def time_passes(operation, count, passes, warmup):
    """Runs `operation` `warmup` times, then `passes` passes of `count` calls; returns the seconds per call of each pass."""
    for _ in range(warmup):
        operation()
    per_call = []
    for _ in range(passes):
        start = time.perf_counter()
        for _ in range(count):
            operation()
        per_call.append((time.perf_counter() - start) / count)
    return per_call


def w1_xor(passes):
    torch.manual_seed(42)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loss_function = nn.MSELoss()

    def epoch():
        optimizer.zero_grad()
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()

    return time_passes(epoch, 10_000, passes, warmup=1_000)


def w2_inference(passes):
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1))
    model.eval()
    x = torch.rand(1, 784)

    def predict():
        with torch.no_grad():
            model(x)

    return time_passes(predict, 100_000, passes, warmup=10_000)


def w3_minibatch(passes):
    torch.manual_seed(42)
    count, batch = 60_000, 64
    batches = count // batch
    x = torch.rand(count, 784)
    y = torch.randint(0, 10, (count,))
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    state = {"batch": 0}

    def step():
        start = state["batch"] * batch
        state["batch"] = (state["batch"] + 1) % batches
        optimizer.zero_grad()
        loss = loss_function(model(x[start:start + batch]), y[start:start + batch])
        loss.backward()
        optimizer.step()

    return time_passes(step, batches, passes, warmup=batches)


DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "digits", "digits.csv.gz")


def load_digits():
    """The 1,797 digits: 64 pixel counts 0..16 (divided by 16) and a label per line."""
    with gzip.open(DIGITS, "rt") as lines:
        rows = [[int(v) for v in line.split(",")] for line in lines if line.strip()]
    x = torch.tensor([row[:64] for row in rows], dtype=torch.float32) / 16
    y = torch.tensor([row[64] for row in rows], dtype=torch.int64)
    return x, y


def w4_per_sample(passes):
    torch.manual_seed(42)
    x, y = load_digits()
    count = len(y)
    model = nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_function = nn.CrossEntropyLoss()
    state = {"sample": 0}

    def step():
        s = state["sample"]
        state["sample"] = (s + 1) % count
        optimizer.zero_grad()
        loss = loss_function(model(x[s:s + 1]), y[s:s + 1])
        loss.backward()
        optimizer.step()

    return time_passes(step, 10 * count, passes, warmup=count)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="timed passes per workload (the median is reported)")
    parser.add_argument("--blas", choices=["openblas", "system"], default="openblas",
                        help="openblas: put OpenBLAS first on the library path (default); system: libblas.so.3 as it is")
    arguments = parser.parse_args()

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    workloads = [
        ("W1", "XOR 2-4-1, full-batch SGD lr 0.5", "us/epoch", 1e6, None, w1_xor),
        ("W2", "784-128-10 inference, batch 1", "ns/prediction", 1e9, None, w2_inference),
        ("W3", "784-128-10, Adam lr 1e-3, batch 64", "us/batch", 1e6, 64, w3_minibatch),
        ("W4", "64-32-10, SGD lr 0.01, batch 1", "us/sample", 1e6, 1, w4_per_sample),
    ]
    rows = []
    for workload_id, description, unit, scale, samples, run in workloads:
        per_call = run(arguments.passes)
        median = statistics.median(per_call)
        throughput = f"{samples / median:,.0f}" if samples else ""
        passes = ", ".join(f"{p * scale:,.1f}" for p in per_call)
        rows.append(f"| {workload_id} | {description} | {median * scale:,.1f} {unit} | {throughput} | {passes} |")
        print(f"{workload_id} done: {median * scale:,.1f} {unit}", file=sys.stderr)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"PyTorch peer, {now}")
    print(f"- PyTorch {torch.__version__}, Python {platform.python_version()}, {cpu_model()}, "
          f"torch threads {torch.get_num_threads()} (inter-op {torch.get_num_interop_threads()})")
    print(f"- BLAS loaded: {loaded_blas()}")
    print()
    print(f"| id | workload | median of {arguments.passes} passes | samples/s | each pass |")
    print("|---|---|---:|---:|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
