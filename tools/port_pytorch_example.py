#!/usr/bin/env python3
"""The worked example of docs/porting.md §11: a PyTorch model, ported to Tessel, checked.

Defines in PyTorch the model that examples/ported_convnet.tsl writes in Tessel, with seeded
weights and non-trivial BatchNorm running statistics, exports every weight as a float32 C-order
.npy file named after the Tessel parameter it binds (transposing the Linear weight and folding
the second BatchNorm into the depthwise convolution before it), runs

    tessel run examples/ported_convnet.tsl --input NAME=FILE.npy ... --output-dir DIR

and compares DIR/output.npy with PyTorch's output (np.allclose, atol 1e-4, rtol 1e-3).

Exit status: 0 when they match, 1 when they do not (or tessel fails), 77 when PyTorch or NumPy
is not installed (CTest's SKIP_RETURN_CODE). Run it with Debian's python3, which has
python3-torch and python3-numpy:

    /usr/bin/python3 tools/port_pytorch_example.py --tessel build/reference/bin/tessel
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

SKIP = 77
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = "examples/ported_convnet.tsl"
ATOL, RTOL = 1e-4, 1e-3


def import_or_skip():
    """Imports torch and numpy, or exits with SKIP saying which is missing and how to get it."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("SKIP: NumPy is not installed (apt-get install python3-numpy)")
        sys.exit(SKIP)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("SKIP: PyTorch is not installed (apt-get install python3-torch)")
        sys.exit(SKIP)


def build_model(torch):
    """The PyTorch model of examples/ported_convnet.tsl, seeded, in eval mode."""
    nn = torch.nn

    class PortedConvNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(16)
            self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)  # depthwise
            self.bn2 = nn.BatchNorm2d(16)
            self.pw = nn.Conv2d(16, 32, (1, 3), padding=(0, 1))
            self.act = nn.ReLU6()
            self.gelu = nn.GELU(approximate="tanh")
            self.pool = nn.MaxPool2d(3, stride=2, padding=1)
            self.gap = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(32, 10)

        def forward(self, x, gelu=None, pool=None):
            # gelu and pool replace those layers, to measure what a wrong port would give
            x = self.act(self.bn1(self.conv1(x)))
            x = self.act(self.bn2(self.dw(x)))
            x = (pool or self.pool)((gelu or self.gelu)(self.pw(x)))
            return self.fc(torch.flatten(self.gap(x), 1))

    torch.manual_seed(0)
    model = PortedConvNet()
    # Running statistics as a trained model has them: a freshly built BatchNorm2d has mean 0,
    # variance 1, weight 1 and bias 0, which would hide a wrong port of its formula.
    with torch.no_grad():
        for bn in (model.bn1, model.bn2):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
        # Larger than PyTorch's default initialization, so that GELU sees inputs of -3 .. 3,
        # where its exact and tanh forms differ most (by up to 5e-4).
        model.pw.weight.uniform_(-0.5, 0.5)
    return model.eval()


def pitfall_errors(model, x, expected, torch, np):
    """How far from PyTorch's output a port with one of the guide's pitfalls would land."""
    F = torch.nn.functional
    variants = {
        "gelu(x) (exact) for nn.GELU(approximate='tanh')": dict(gelu=F.gelu),
        "max-pool padded with zeros, pad(x, [0, 0, 1, 1]), not -inf":
            dict(pool=lambda h: F.max_pool2d(F.pad(h, (1, 1, 1, 1)), 3, stride=2)),
        "max-pool with ONNX's default stride 1":
            dict(pool=lambda h: F.max_pool2d(h, 3, stride=1, padding=1)),
    }
    errors = {}
    with torch.no_grad():
        for what, change in variants.items():
            wrong = model(x, **change).numpy()
            errors[what] = (float(np.max(np.abs(wrong - expected))),
                            not np.allclose(wrong, expected, atol=ATOL, rtol=RTOL))
    return errors


def export_weights(model, x, out_dir, np):
    """Writes x and every weight as float32 C-order .npy files; returns {parameter: path}."""

    def array(t):
        return np.ascontiguousarray(t.detach().cpu().numpy(), dtype=np.float32)

    # bn2 folded into the depthwise convolution (docs/porting.md §4.2): w' = w * scale,
    # b' = (b - mean) * scale + beta with scale = gamma / sqrt(var + eps), one per output
    # channel (the conv has no bias: b = 0).
    bn2 = model.bn2
    scale = array(bn2.weight) / np.sqrt(array(bn2.running_var) + bn2.eps)
    tensors = {
        "x": array(x),
        "conv1_weight": array(model.conv1.weight),          # [K, C, R, S], as is
        "bn1_running_mean": array(model.bn1.running_mean),
        "bn1_running_var": array(model.bn1.running_var),
        "bn1_weight": array(model.bn1.weight),
        "bn1_bias": array(model.bn1.bias),
        "dw_weight": array(model.dw.weight) * scale[:, None, None, None],
        "dw_bias": (0.0 - array(bn2.running_mean)) * scale + array(bn2.bias),
        "pw_weight": array(model.pw.weight),
        "pw_bias": array(model.pw.bias),
        "fc_weight": array(model.fc.weight).T,               # [out, in] -> [in, out]
        "fc_bias": array(model.fc.bias),
    }
    paths = {}
    for name, value in tensors.items():
        path = os.path.join(out_dir, name + ".npy")
        # .T is a Fortran-ordered view: np.save would write fortran_order True, which Tessel
        # refuses. ascontiguousarray makes every file C-ordered float32.
        np.save(path, np.ascontiguousarray(value, dtype=np.float32))
        paths[name] = path
    return paths


def supports_no_seed(tessel):
    """Whether this tessel has --no-seed (a missing --input is then an error, not noise)."""
    result = subprocess.run([tessel, "run", "--help"], capture_output=True, text=True)
    return "--no-seed" in result.stdout


def run_tessel(tessel, paths, out_dir):
    """Runs the example with every parameter given; returns (seconds, the output path)."""
    command = [tessel, "run", EXAMPLE]
    for name, path in paths.items():
        command += ["--input", name + "=" + path]
    command += ["--output-dir", out_dir]
    if supports_no_seed(tessel):
        command += ["--no-seed"]
    # Shown one option a line, with the binary relative to the repository when it is inside.
    shown = os.path.relpath(tessel, REPO) if tessel.startswith(REPO + os.sep) else tessel
    options = command[3:]
    lines = [shown + " run " + EXAMPLE]
    while options:  # an option and its value on one line; a flag alone
        take = 1 if len(options) == 1 or options[1].startswith("--") else 2
        lines.append(" ".join(options[:take]))
        options = options[take:]
    print("$ " + " \\\n    ".join(lines))
    start = time.monotonic()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        print(f"FAIL: tessel exited with status {result.returncode}")
        sys.exit(1)
    return seconds, os.path.join(out_dir, "output.npy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tessel", default=os.path.join(REPO, "build/reference/bin/tessel"),
                        help="the tessel binary (default: build/reference/bin/tessel)")
    parser.add_argument("--work-dir", help="where to write the .npy files (default: a temporary "
                        "folder, removed afterwards)")
    args = parser.parse_args()
    import_or_skip()
    import numpy as np
    import torch

    model = build_model(torch)
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        expected = model(x).numpy()

    with tempfile.TemporaryDirectory() as temp:
        work = os.path.abspath(args.work_dir or temp)
        os.makedirs(work, exist_ok=True)
        paths = export_weights(model, x, work, np)
        seconds, output = run_tessel(os.path.abspath(args.tessel), paths, os.path.join(work, "out"))
        actual = np.load(output)

    print(f"PyTorch {torch.__version__}: output {list(expected.shape)}; "
          f"Tessel: output {list(actual.shape)} in {seconds:.2f} s")
    if actual.shape != expected.shape:
        print("FAIL: the shapes differ")
        return 1
    error = float(np.max(np.abs(actual.astype(np.float64) - expected)))
    print(f"max abs error {error:.3g} (allclose with atol {ATOL:g}, rtol {RTOL:g})")
    if not np.allclose(actual, expected, atol=ATOL, rtol=RTOL):
        print("FAIL: Tessel's output differs from PyTorch's")
        return 1
    print("OK: Tessel's output matches PyTorch's")
    print("a port with one pitfall would be off by (max abs error):")
    for what, (wrong, caught) in pitfall_errors(model, x, expected, torch, np).items():
        print(f"  {wrong:<9.3g} {'caught' if caught else 'missed'} by allclose  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
