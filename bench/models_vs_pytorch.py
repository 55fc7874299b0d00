#!/usr/bin/env python3
"""Whole models: Tessel's compiled C against PyTorch eager and Tessel's interpreter.

Every model of examples/ at a batch a user would run, on the same inputs: `tessel run
--target c --time --output-dir` writes the inputs it ran (seeded weights, as .npy) and its
output; PyTorch (Debian's python3-torch, with the same thread count) runs the same model,
written here op for op, on those files; the outputs are compared, then both are timed (median
of repeated runs after warm-up). Compile time is split into Tessel's own stages (front end,
passes, lowering, rendering: the wall time of `--emit c`) and the C compiler (a cold cache).

    /usr/bin/python3 bench/models_vs_pytorch.py [--threads 1,2] [--tessel build/reference/bin/tessel]

Prints Markdown (docs/performance.md section 2.3).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mlp(x, w0, b0, wh, bh, wo, bo, L=2):
    h = torch.relu(x @ w0 + b0)
    for l in range(L):
        h = h + torch.relu(h @ wh[l] + bh[l])  # residual=true
    return torch.softmax(h @ wo + bo, dim=1)


def lenet(img, w1, b1, w2, b2, w3, b3, w4, b4, w5, b5):
    p1 = F.max_pool2d(torch.relu(F.conv2d(img, w1, b1)), 2)
    p2 = F.max_pool2d(torch.relu(F.conv2d(p1, w2, b2)), 2)
    f1 = torch.relu(p2.reshape(p2.shape[0], 256) @ w3 + b3)
    f2 = torch.relu(f1 @ w4 + b4)
    return f2 @ w5 + b5


def transformer_block(x, ln1_g, ln1_b, wq, wk, wv, wo, ln2_g, ln2_b, w1, b1, w2, b2):
    T, D = x.shape
    NH, DH = 4, 16

    def attention(y):
        q = (y @ wq).reshape(T, NH, DH)
        k = (y @ wk).reshape(T, NH, DH)
        v = (y @ wv).reshape(T, NH, DH)
        s = torch.einsum("the,uhe->htu", q, k) * 0.25
        mask = torch.triu(torch.full((T, T), -1e9), diagonal=1)
        p = torch.softmax(s + mask, dim=2)
        return torch.einsum("htu,uhe->the", p, v).reshape(T, D) @ wo

    a = x + attention(F.layer_norm(x, (D,), ln1_g, ln1_b, 1e-5))
    f = F.gelu(F.layer_norm(a, (D,), ln2_g, ln2_b, 1e-5) @ w1 + b1) @ w2 + b2
    return a + f


def rnn(x, h0, wx, wh, bh, wy, by):
    xw = torch.einsum("tbi,ij->tbj", x, wx)
    h = h0
    pooled = h0
    for t in range(x.shape[0]):
        h = torch.tanh(xw[t] + h @ wh + bh)
        pooled = h if t == 0 else pooled + h  # readout=1: the mean over time
    return (pooled / x.shape[0]) @ wy + by


def resnet_layer(x, w):
    return torch.relu(F.conv2d(x, w, padding=1))


def digits(x, labels, w1, b1, w2, b2):
    predicted = torch.argmax(torch.relu(x @ w1 + b1) @ w2 + b2, dim=1)
    return (predicted == labels).float().mean()


# (name, the function above, its parameters in order, --shape flags per batch, the source,
# more flags): the examples with their default schedules, and the ResNet layer of
# bench/c_backend.cpp with its hand schedule and without (PyTorch runs it through oneDNN).
HAND = ["--schedule", os.path.join(ROOT, "bench/schedules/conv_resnet.sched")]
MODELS = [
    ("mlp", mlp, ["x", "w0", "b0", "wh", "bh", "wo", "bo"], [["B=1"], ["B=64"]], "examples/mlp.tsl", []),
    ("cnn", lenet, ["img", "w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4", "w5", "b5"], [["N=1"], ["N=64"]],
     "examples/cnn.tsl", []),
    ("transformer", transformer_block,
     ["x", "ln1_g", "ln1_b", "wq", "wk", "wv", "wo", "ln2_g", "ln2_b", "w1", "b1", "w2", "b2"],
     [["T=8"], ["T=64"]], "examples/transformer.tsl", []),
    ("rnn", rnn, ["x", "h0", "wx", "wh", "bh", "wy", "by"], [["B=1"], ["B=64"]], "examples/rnn.tsl", []),
    ("digits", digits, ["x", "labels", "w1", "b1", "w2", "b2"], [[]], "examples/digits.tsl", []),
    ("resnet layer, default schedule", resnet_layer, ["x", "w"], [["N=1"]], "bench/models/conv_resnet.tsl", []),
    ("resnet layer, hand schedule", resnet_layer, ["x", "w"], [["N=1"]], "bench/models/conv_resnet.tsl", HAND),
]


def median_ms(fn, min_seconds=0.3):
    fn()
    fn()
    times = []
    while len(times) < 5 or (sum(times) < min_seconds and len(times) < 2000):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2] * 1e3


def run(cmd, env=None):
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return out.stdout, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--tessel", default=os.path.join(ROOT, "build/reference/bin/tessel"))
    args = parser.parse_args()
    threads_list = [int(t) for t in args.threads.split(",")]
    blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    print(f"PyTorch {torch.__version__} (eager, CPU); BLAS: {blas.group(1) if blas else 'unknown'}")
    print()
    print("| model | batch | threads | Tessel C (ms) | PyTorch eager (ms) | PyTorch / Tessel | "
          "interpreter, whole run (s) | Tessel's stages (s) | C compiler, cold (s) | max abs diff |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, fn, params, batches, path, flags in MODELS:
        source = os.path.join(ROOT, path)
        for shapes in batches:
            shape_flags = sum((["--shape", s] for s in shapes), []) + flags
            with tempfile.TemporaryDirectory() as tmp:
                env = dict(os.environ, TESSEL_CACHE_DIR=os.path.join(tmp, "cache"))
                _, stages_s = run([args.tessel, "run", source, "--emit", "c"] + shape_flags, env)
                out, _ = run([args.tessel, "run", source, "--target", "c", "--time", "--threads", "1",
                              "--output-dir", os.path.join(tmp, "out")] + shape_flags, env)
                cc = re.search(r"C compiler ([0-9.]+) s", out)
                _, interp_s = run([args.tessel, "run", source] + shape_flags[:len(shape_flags) - len(flags)])
                inputs = [torch.from_numpy(np.load(os.path.join(tmp, "out", f"input_{p}.npy"))) for p in params]
                expected = np.load(os.path.join(tmp, "out", "output.npy"))
                for threads in threads_list:
                    out, _ = run([args.tessel, "run", source, "--target", "c", "--time", "--threads", str(threads)]
                                 + shape_flags, env)
                    tessel_ms = float(re.search(r"time: median ([0-9.e+-]+) ms", out).group(1))
                    torch.set_num_threads(threads)
                    with torch.no_grad():
                        result = fn(*inputs).numpy()
                        torch_ms = median_ms(lambda: fn(*inputs))
                    diff = float(np.max(np.abs(result.astype(np.float64) - expected))) if result.size else 0.0
                    batch = shapes[0] if shapes else "N=360"
                    print(f"| {name} | {batch} | {threads} | {tessel_ms:.4g} | {torch_ms:.4g} | "
                          f"{torch_ms / tessel_ms:.2f}x | {interp_s:.2f} | {stages_s:.2f} | "
                          f"{cc.group(1) if cc else 'cached'} | {diff:.1e} |", flush=True)


if __name__ == "__main__":
    main()
