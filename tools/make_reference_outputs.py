#!/usr/bin/env python3
"""Makes the reference inputs and outputs of the example models for the driver's tests.

stages/driver/tests/model_reference_test.cpp compiles examples/mlp.tsl, examples/cnn.tsl and
examples/lstm.tsl with these inputs, runs them with the reference IR interpreter and compares the result with
expected.npy. The expected outputs are computed here independently of Tessel, in NumPy,
from the math each model's source describes (read the .tsl files next to the forward
passes below), so the test checks the whole of stage 2 against a second implementation.

Run it from the repository root with any Python 3 that has NumPy:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python tools/make_reference_outputs.py

(or, on Debian, `apt-get install python3-numpy` and `/usr/bin/python3 tools/...`).

Its outputs, stages/driver/tests/reference/<model>/<param>.npy and expected.npy (float32,
C order), are committed, so building and running the tests needs no Python. The generator
is seeded, so running it again rewrites the same values; rerun it only when a model
changes, and commit the new files with the change.
"""

import os
import sys

import numpy as np

SEED = 20240611
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "stages", "driver", "tests", "reference")


# ------------------------------------------------------------ building blocks
# Everything is computed in float64 from the float32 inputs, then rounded once to float32:
# the most accurate answer the inputs allow, which the interpreter (that rounds every stored
# intermediate to f32) must come close to.

def relu(x):
    return np.maximum(x, 0.0)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def linear(x, w, b):
    """y[n, o] = sum_i x[n, i] w[i, o], plus b[o] on every row."""
    return x @ w + b


def conv2d_valid(x, w, b):
    """cnn.tsl's conv2d_valid: y[n, k, h, v] = sum_{c, r, s} x[n, c, h + r, v + s] w[k, c, r, s]
    + b[k], with h in 0..H - R + 1 and v in 0..W - S + 1 (no padding, stride 1)."""
    n, c, height, width = x.shape
    k, c_w, r_size, s_size = w.shape
    assert c == c_w
    out_h, out_w = height - r_size + 1, width - s_size + 1
    y = np.zeros((n, k, out_h, out_w))
    for r in range(r_size):
        for s in range(s_size):
            window = x[:, :, r:r + out_h, s:s + out_w]          # [n, c, out_h, out_w]
            y += np.einsum("nchv,kc->nkhv", window, w[:, :, r, s])
    return y + b[None, :, None, None]


def maxpool2d(x, size, stride):
    """The prelude's maxpool2d: y[n, c, h, v] = max over i, j in 0..size of
    x[n, c, stride h + i, stride v + j]; h in 0..(H - size) / stride + 1."""
    n, c, height, width = x.shape
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    y = np.full((n, c, out_h, out_w), -np.inf)
    for i in range(size):
        for j in range(size):
            window = x[:, :, i:i + stride * (out_h - 1) + 1:stride,
                       j:j + stride * (out_w - 1) + 1:stride]
            y = np.maximum(y, window)
    return y


# ------------------------------------------------------------ the models

def mlp(x, w0, b0, wh, bh, wo, bo, residual):
    """examples/mlp.tsl: h = relu(linear(x, w0, b0)); L layers of z = relu(h wh[l] + bh[l])
    with h = h + z (residual) or h = z; then softmax(h wo + bo, axis=1)."""
    h = relu(linear(x, w0, b0))
    for layer in range(wh.shape[0]):
        z = relu(h @ wh[layer] + bh[layer])
        h = h + z if residual else z
    return softmax(h @ wo + bo, axis=1)


def lenet(img, w1, b1, w2, b2, w3, b3, w4, b4, w5, b5):
    """examples/cnn.tsl: two (valid conv + relu + 2x2 max pool, stride 2) stages, a flatten
    of [N, 16, 4, 4] to [N, 256] in row-major (NCHW) order, and three linear layers, the first
    two followed by relu. Returns the logits (no softmax)."""
    c1 = relu(conv2d_valid(img, w1, b1))             # [N, 6, 24, 24]
    p1 = maxpool2d(c1, size=2, stride=2)             # [N, 6, 12, 12]
    c2 = relu(conv2d_valid(p1, w2, b2))              # [N, 16, 8, 8]
    p2 = maxpool2d(c2, size=2, stride=2)             # [N, 16, 4, 4]
    flat = p2.reshape(p2.shape[0], 256)              # C order: the same as Tessel's reshape
    f1 = relu(linear(flat, w3, b3))                  # [N, 120]
    f2 = relu(linear(f1, w4, b4))                    # [N, 84]
    return linear(f2, w5, b5)                        # [N, 10]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    """examples/lstm.tsl, nn.LSTM's equations: gates = x_t W_ih^T + b_ih + h W_hh^T + b_hh,
    split in the order i, f, g, o; c = sig(f) c + sig(i) tanh(g); h = sig(o) tanh(c).
    Returns every step's h, [T, B, H]."""
    hidden = h0.shape[1]
    h, c, out = h0, c0, []
    for step in range(x.shape[0]):
        gates = x[step] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = (gates[:, k * hidden:(k + 1) * hidden] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out.append(h)
    return np.stack(out)


# ------------------------------------------------------------ inputs

def weight(rng, shape, fan_in):
    """Normal weights scaled by 1/sqrt(fan_in), so every layer's activations stay O(1)."""
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


def bias(rng, shape):
    return (0.1 * rng.standard_normal(shape)).astype(np.float32)


def mlp_inputs(rng, batch=4, hidden=64, layers=2):
    return {
        "x": rng.uniform(0.0, 1.0, (batch, 784)).astype(np.float32),   # pixels in [0, 1)
        "w0": weight(rng, (784, hidden), 784),
        "b0": bias(rng, (hidden,)),
        "wh": weight(rng, (layers, hidden, hidden), hidden),
        "bh": bias(rng, (layers, hidden)),
        "wo": weight(rng, (hidden, 10), hidden),
        "bo": bias(rng, (10,)),
    }


def lenet_inputs(rng, batch=2):
    return {
        "img": rng.uniform(0.0, 1.0, (batch, 1, 28, 28)).astype(np.float32),
        "w1": weight(rng, (6, 1, 5, 5), 1 * 5 * 5),
        "b1": bias(rng, (6,)),
        "w2": weight(rng, (16, 6, 5, 5), 6 * 5 * 5),
        "b2": bias(rng, (16,)),
        "w3": weight(rng, (256, 120), 256),
        "b3": bias(rng, (120,)),
        "w4": weight(rng, (120, 84), 120),
        "b4": bias(rng, (84,)),
        "w5": weight(rng, (84, 10), 84),
        "b5": bias(rng, (10,)),
    }


def lstm_inputs(rng, steps=5, batch=2, features=8, hidden=16):
    return {
        "x": rng.standard_normal((steps, batch, features)).astype(np.float32),
        "h0": (0.5 * rng.standard_normal((batch, hidden))).astype(np.float32),
        "c0": (0.5 * rng.standard_normal((batch, hidden))).astype(np.float32),
        "w_ih": weight(rng, (4 * hidden, features), features),
        "w_hh": weight(rng, (4 * hidden, hidden), hidden),
        "b_ih": bias(rng, (4 * hidden,)),
        "b_hh": bias(rng, (4 * hidden,)),
    }


def as_f64(inputs):
    return {name: value.astype(np.float64) for name, value in inputs.items()}


# ------------------------------------------------------------ writing

def write_model(name, inputs, expected):
    directory = os.path.join(OUT_DIR, name)
    os.makedirs(directory, exist_ok=True)
    total = 0
    for param, value in list(inputs.items()) + [("expected", expected)]:
        path = os.path.join(directory, param + ".npy")
        np.save(path, np.ascontiguousarray(value, dtype=np.float32))
        total += os.path.getsize(path)
    print(f"{os.path.relpath(directory, ROOT)}: {len(inputs) + 1} files, {total} bytes, "
          f"expected {list(expected.shape)} in [{expected.min():.4g}, {expected.max():.4g}]")
    return total


def main():
    rng = np.random.default_rng(SEED)
    mlp_in = mlp_inputs(rng)
    mlp_out = mlp(**as_f64(mlp_in), residual=True)
    lenet_in = lenet_inputs(rng)
    lenet_out = lenet(**as_f64(lenet_in))
    lstm_in = lstm_inputs(rng)
    lstm_out = lstm(**as_f64(lstm_in))
    total = (write_model("mlp", mlp_in, mlp_out) + write_model("lenet", lenet_in, lenet_out) +
             write_model("lstm", lstm_in, lstm_out))
    print(f"total {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
