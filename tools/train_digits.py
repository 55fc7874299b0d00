#!/usr/bin/env python3
"""Trains the classifier of examples/digits.tsl and writes its weights and test split.

scikit-learn's bundled 8x8 digits (1797 images of 64 pixels, 10 classes; Debian's
python3-sklearn) split 80/20 with a fixed permutation; a multi-layer perceptron 64 -> 32
(relu) -> 10 trained with NumPy alone: softmax cross-entropy, minibatch SGD with momentum,
a fixed seed, so that every run writes the same files. Pixels are scaled to [0, 1].

    /usr/bin/python3 tools/train_digits.py          # writes examples/data/digits/*.npy

Written: w1 [64, 32], b1 [32], w2 [32, 10], b2 [10] (float32, Tessel's x @ w layout),
x_test [360, 64] (float32), y_test [360] (int32), and accuracy.txt: the test accuracy this
script computes in float32, which `tessel run examples/digits.tsl` must print.
"""
import os

import numpy as np
from sklearn.datasets import load_digits

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "data", "digits")


def forward(x, w1, b1, w2, b2):
    h = np.maximum(x @ w1 + b1, np.float32(0))
    return h, h @ w2 + b2


def main():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    test, train = order[:360], order[360:]
    x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]

    w1 = (rng.standard_normal((64, 32)) * np.sqrt(2 / 64)).astype(np.float32)
    b1 = np.zeros(32, np.float32)
    w2 = (rng.standard_normal((32, 10)) * np.sqrt(2 / 32)).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    params = [w1, b1, w2, b2]
    velocity = [np.zeros_like(p) for p in params]
    lr, momentum, batch = np.float32(0.05), np.float32(0.9), 32
    for epoch in range(60):
        perm = rng.permutation(len(x_train))
        for start in range(0, len(perm), batch):
            idx = perm[start:start + batch]
            xb, yb = x_train[idx], y_train[idx]
            h, logits = forward(xb, *params)
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1
            d_logits = p / len(yb)
            d_h = (d_logits @ params[2].T) * (h > 0)
            grads = [xb.T @ d_h, d_h.sum(axis=0), h.T @ d_logits, d_logits.sum(axis=0)]
            for i, g in enumerate(grads):
                velocity[i] = momentum * velocity[i] - lr * g.astype(np.float32)
                params[i] = (params[i] + velocity[i]).astype(np.float32)
    _, logits = forward(x_test, *params)
    accuracy = np.float32(np.mean((np.argmax(logits, axis=1) == y_test).astype(np.float32)))
    train_accuracy = np.mean(np.argmax(forward(x_train, *params)[1], axis=1) == y_train)

    os.makedirs(OUT, exist_ok=True)
    for name, value in zip(["w1", "b1", "w2", "b2"], params):
        np.save(os.path.join(OUT, name + ".npy"), value.astype(np.float32))
    np.save(os.path.join(OUT, "x_test.npy"), x_test)
    np.save(os.path.join(OUT, "y_test.npy"), y_test)
    with open(os.path.join(OUT, "accuracy.txt"), "w") as f:
        f.write(f"{accuracy:.9g}\n")
    print(f"train accuracy {train_accuracy:.4f}, test accuracy {accuracy:.9g} "
          f"({int(round(accuracy * 360))} of 360); wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
