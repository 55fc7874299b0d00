#!/usr/bin/env python3
"""Makes the reference cases of the prelude and the ported primitives (docs/language.md §5).

stages/driver/tests/prelude_reference_test.cpp compiles each case's Tessel program, runs it with
the reference IR interpreter on the case's inputs and compares the result with expected.npy.
The expected values come from PyTorch, whose semantics the prelude follows (nn.GELU,
F.conv2d, F.conv_transpose2d, F.max_pool2d, F.avg_pool2d, F.batch_norm, ...), computed in
float64 from the float32 inputs; the few cases PyTorch has no function for use NumPy. So the
test checks Tessel's prelude against an independent implementation, not against itself.

Run it from the repository root with Debian's PyTorch and NumPy:

    apt-get install python3-torch python3-numpy
    /usr/bin/python3 tools/make_prelude_reference.py

It writes stages/driver/tests/prelude_reference/cases.json (each case: its name, its Tessel
program, its input names, its tolerance) and one directory of .npy files per case. The outputs
are committed, so building and testing needs no Python; the generator is seeded, so running it
again rewrites the same files. Add a case here when the prelude gains a function.
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20261206
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "stages", "driver", "tests", "prelude_reference")

rng = np.random.default_rng(SEED)
cases = []


def normal(*shape, scale=1.0):
    return (scale * rng.standard_normal(shape)).astype(np.float32)


def t64(array):
    return torch.from_numpy(array.astype(np.float64))


def tessel_type(array):
    dtype = {np.dtype(np.float32): "f32", np.dtype(np.int32): "i32"}[array.dtype]
    return dtype + ("[" + ", ".join(str(d) for d in array.shape) + "]" if array.ndim else "")


def case(name, call, inputs, expected, body=None, tol=(1e-5, 1e-4)):
    """One case: `fn main(<inputs>) -> <expected's type> { return <call>; }` (or `body`)."""
    if isinstance(expected, torch.Tensor):
        expected = expected.numpy()
    expected = np.asarray(expected)
    expected = expected.astype(np.int32 if expected.dtype.kind in "iu" else np.float32)
    params = ", ".join(f"{param}: {tessel_type(value)}" for param, value in inputs.items())
    text = body if body is not None else f"  return {call};\n"
    source = f"fn main({params}) -> {tessel_type(expected)} {{\n{text}}}\n"
    directory = os.path.join(OUT_DIR, name)
    os.makedirs(directory, exist_ok=True)
    for param, value in inputs.items():
        np.save(os.path.join(directory, param + ".npy"), np.ascontiguousarray(value))
    np.save(os.path.join(directory, "expected.npy"), np.ascontiguousarray(expected))
    cases.append({"name": name, "source": source, "inputs": list(inputs),
                  "tolerance": {"abs": tol[0], "rel": tol[1]}})


# ------------------------------------------------------------ primitives

x = normal(3, 8, scale=2.0)
case("erf_sin_cos", "erf(x) + sin(x) * cos(x)", {"x": x},
     torch.erf(t64(x)) + torch.sin(t64(x)) * torch.cos(t64(x)))
ties = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -0.7, 0.2, 2.71], dtype=np.float32)
case("round_half_to_even", "round(x)", {"x": ties}, torch.round(t64(ties)))
case("floor_ceil_sign", "floor(x) * 100.0 + ceil(x) * 10.0 + sign(x)", {"x": x},
     torch.floor(t64(x)) * 100 + torch.ceil(t64(x)) * 10 + torch.sign(t64(x)))
a = np.array([7, -7, 7, -7, 6, -6, 0], dtype=np.int32)
b = np.array([2, 2, -2, -2, -4, 4, 3], dtype=np.int32)
case("floor_div_int", "floor_div(a, b)", {"a": a, "b": b},
     torch.div(torch.from_numpy(a), torch.from_numpy(b), rounding_mode="floor"))
case("floor_mod_int_as_onnx_mod", "floor_mod(a, b)", {"a": a, "b": b},
     torch.remainder(torch.from_numpy(a), torch.from_numpy(b)))
case("truncating_mod_int_as_c", "a % b", {"a": a, "b": b},
     torch.fmod(torch.from_numpy(a), torch.from_numpy(b)))
fa, fb = normal(10, scale=5.0), normal(10, scale=2.0)
case("floor_mod_float", "floor_mod(a, b)", {"a": fa, "b": fb},
     torch.remainder(t64(fa), t64(fb)))
tied = np.array([[1, 5, 5, 0], [7, 0, 7, -1], [2, 2, 2, 2]], dtype=np.float32)
case("argmax_first_of_ties", "argmax(x, axis=1)", {"x": tied},
     np.argmax(tied, axis=1))
case("argmin_keepdims", "argmin(x, axis=0, keepdims=true)", {"x": tied},
     np.argmin(tied, axis=0)[None, :])
seq = normal(2, 11)
case("slice_step_negative", "slice(x, axis=-1, start=-9, end=-1, step=3)", {"x": seq},
     seq[:, -9:-1:3])
case("slice_clamps_like_python", "slice(x, axis=1, start=4, end=1000)", {"x": seq}, seq[:, 4:1000])
img = normal(1, 2, 3, 4)
case("pad_low_high_value", "pad(x, low=[0, 0, 1, 2], high=[0, 1, 0, 1], value=-inf)",
     {"x": img}, F.pad(t64(img), (2, 1, 1, 0, 0, 1), value=-np.inf))
rows = normal(5, 3)
h = normal(3)
expected = rows.astype(np.float64).copy()
for step in range(1, 5):
    expected[step] = h.astype(np.float64) * step
case("update_slice_in_a_loop", None, {"x": rows, "h": h}, expected,
     body="  var out = x;\n  for t in 1..5 {\n"
          "    out = update_slice(out, reshape(h * t, [1, 3]), [t, 0]);\n  }\n  return out;\n")

# ------------------------------------------------------------ activations

x2, x3, x4 = normal(4, 6, scale=2.0), normal(2, 3, 5, scale=2.0), normal(2, 2, 3, 4, scale=3.0)
case("gelu_exact_is_the_default", "gelu(x)", {"x": x2}, F.gelu(t64(x2)))
case("gelu_tanh_approximation", "gelu(x, approximate=true)", {"x": x3},
     F.gelu(t64(x3), approximate="tanh"))
case("relu6", "relu6(x)", {"x": x4}, F.relu6(t64(x4)))
case("leaky_relu", "leaky_relu(x, negative_slope=0.2)", {"x": x4},
     F.leaky_relu(t64(x4), negative_slope=0.2))
case("leaky_relu_default_slope", "leaky_relu(x)", {"x": x2}, F.leaky_relu(t64(x2)))
case("clamp_both", "clamp(x, min=-0.5, max=1.0)", {"x": x3}, torch.clamp(t64(x3), -0.5, 1.0))
case("clamp_min_only", "clamp(x, min=0.25)", {"x": x2}, torch.clamp(t64(x2), min=0.25))
case("silu", "silu(x)", {"x": x4}, F.silu(t64(x4)))
case("hardswish", "hardswish(x)", {"x": x3}, F.hardswish(t64(x3)))
case("log_softmax_last_axis", "log_softmax(x)", {"x": x3}, F.log_softmax(t64(x3), dim=-1))
case("log_softmax_axis_1", "log_softmax(x, axis=1)", {"x": x4}, F.log_softmax(t64(x4), dim=1))
case("softmax_rank4", "softmax(x, axis=2)", {"x": x4}, F.softmax(t64(x4), dim=2))

# ------------------------------------------------------------ normalization

for rank, shape in enumerate([(6,), (3, 6), (2, 3, 6), (2, 2, 3, 6)], start=1):
    xn, g, bb = normal(*shape, scale=3.0), normal(6), normal(6)
    case(f"layernorm_rank{rank}", "layernorm(x, g, b)", {"x": xn, "g": g, "b": bb},
         F.layer_norm(t64(xn), (6,), t64(g), t64(bb), eps=1e-5))
for rank, shape in enumerate([(4, 3), (2, 3, 5), (2, 3, 4, 4)], start=2):
    xb = normal(*shape, scale=2.0)
    mean, var = normal(3), np.abs(normal(3)) + 0.1
    w, bias = normal(3), normal(3)
    case(f"batchnorm_rank{rank}", "batchnorm(x, m, v, w, b, eps=0.001)",
         {"x": xb, "m": mean, "v": var.astype(np.float32), "w": w, "b": bias},
         F.batch_norm(t64(xb), t64(mean), t64(var), t64(w), t64(bias), training=False, eps=1e-3))

# ------------------------------------------------------------ convolutions

xc = normal(2, 4, 7, 6)
w = normal(6, 4, 3, 3, scale=0.3)
bc = normal(6)
case("conv2d_bias", "conv2d(x, w, b)", {"x": xc, "w": w, "b": bc},
     F.conv2d(t64(xc), t64(w), t64(bc)))
case("conv2d_stride2_padding1", "conv2d(x, w, b, stride=2, padding=1)",
     {"x": xc, "w": w, "b": bc}, F.conv2d(t64(xc), t64(w), t64(bc), stride=2, padding=1))
case("conv2d_no_bias_dilation2", "conv2d(x, w, padding=2, dilation=2)", {"x": xc, "w": w},
     F.conv2d(t64(xc), t64(w), padding=2, dilation=2))
wg = normal(6, 2, 3, 3, scale=0.3)
case("conv2d_groups2", "conv2d(x, w, b, padding=1, groups=2)", {"x": xc, "w": wg, "b": bc},
     F.conv2d(t64(xc), t64(wg), t64(bc), padding=1, groups=2))
wd = normal(4, 1, 3, 3, scale=0.3)
bd = normal(4)
case("conv2d_depthwise", "conv2d(x, w, b, stride=2, padding=1, groups=4)",
     {"x": xc, "w": wd, "b": bd},
     F.conv2d(t64(xc), t64(wd), t64(bd), stride=2, padding=1, groups=4))
case("conv2d_pads_per_side_as_onnx",
     "conv2d(x, w, b, pad_top=0, pad_left=1, pad_bottom=2, pad_right=0)",
     {"x": xc, "w": w, "b": bc},
     F.conv2d(F.pad(t64(xc), (1, 0, 0, 2)), t64(w), t64(bc)))
xt = normal(2, 3, 4, 5)
wt = normal(3, 5, 3, 3, scale=0.3)
bt = normal(5)
case("conv_transpose2d_stride2", "conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)",
     {"x": xt, "w": wt, "b": bt},
     F.conv_transpose2d(t64(xt), t64(wt), t64(bt), stride=2, padding=1, output_padding=1))
case("conv_transpose2d_no_bias", "conv_transpose2d(x, w)", {"x": xt, "w": wt},
     F.conv_transpose2d(t64(xt), t64(wt)))
wt4 = normal(3, 2, 4, 4, scale=0.3)
case("conv_transpose2d_kernel4_stride2_padding1", "conv_transpose2d(x, w, stride=2, padding=1)",
     {"x": xt, "w": wt4}, F.conv_transpose2d(t64(xt), t64(wt4), stride=2, padding=1))

# ------------------------------------------------------------ pooling

xp = normal(2, 3, 7, 8, scale=2.0) - 3.0  # mostly negative: zero padding would win a max
case("maxpool2d_stride_defaults_to_kernel", "maxpool2d(x, 3)", {"x": xp},
     F.max_pool2d(t64(xp), 3))
case("maxpool2d_padding_is_minus_infinity", "maxpool2d(x, 3, stride=2, padding=1)", {"x": xp},
     F.max_pool2d(t64(xp), 3, stride=2, padding=1))
case("maxpool2d_ceil_mode", "maxpool2d(x, 2, stride=2, ceil_mode=true)", {"x": xp},
     F.max_pool2d(t64(xp), 2, stride=2, ceil_mode=True))
xq = normal(1, 2, 5, 6, scale=2.0) - 3.0
case("maxpool2d_ceil_mode_drops_a_window_in_the_padding",
     "maxpool2d(x, 2, stride=2, padding=1, ceil_mode=true)", {"x": xq},
     F.max_pool2d(t64(xq), 2, stride=2, padding=1, ceil_mode=True))
case("avgpool2d_count_include_pad", "avgpool2d(x, 3, stride=2, padding=1)", {"x": xp},
     F.avg_pool2d(t64(xp), 3, stride=2, padding=1))
case("avgpool2d_exclude_pad", "avgpool2d(x, 3, stride=2, padding=1, count_include_pad=false)",
     {"x": xp}, F.avg_pool2d(t64(xp), 3, stride=2, padding=1, count_include_pad=False))
case("avgpool2d_ceil_mode", "avgpool2d(x, 3, stride=2, padding=1, ceil_mode=true)", {"x": xp},
     F.avg_pool2d(t64(xp), 3, stride=2, padding=1, ceil_mode=True))
case("avgpool2d_ceil_mode_exclude_pad",
     "avgpool2d(x, 2, stride=2, padding=1, ceil_mode=true, count_include_pad=false)", {"x": xq},
     F.avg_pool2d(t64(xq), 2, stride=2, padding=1, ceil_mode=True, count_include_pad=False))
case("avgpool2d_stride_defaults_to_kernel", "avgpool2d(x, 2)", {"x": xp},
     F.avg_pool2d(t64(xp), 2))
case("global_avgpool2d", "global_avgpool2d(x)", {"x": xp}, F.adaptive_avg_pool2d(t64(xp), 1))
case("global_maxpool2d", "global_maxpool2d(x)", {"x": xp}, F.adaptive_max_pool2d(t64(xp), 1))


def main():
    with open(os.path.join(OUT_DIR, "cases.json"), "w") as out:
        json.dump({"generator": "tools/make_prelude_reference.py", "torch": torch.__version__,
                   "cases": cases}, out, indent=1)
        out.write("\n")
    print(f"{len(cases)} cases in {os.path.relpath(OUT_DIR, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
