#!/usr/bin/env python3
"""A small CNN for Fashion-MNIST, trained with numpy alone, exported to ONNX.

    fashion_mnist.py train [-o tools/models/fashion_mnist_cnn.onnx] [--epochs 3]
    fashion_mnist.py data OUT_DIR [--calibration 1000]

`train` is deterministic (fixed seed, fixed sample order, float32, one BLAS
thread): conv 3x3 (1 -> 16) + ReLU + max-pool 2, conv 3x3 (16 -> 32) + ReLU +
max-pool 2, a 1568 -> 10 linear layer; SGD with momentum on the 60,000
training images of Debian's dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist), a few minutes on 2 cores. The ONNX
model takes `x: [N, 1, 28, 28]` float32, normalized as `normalize` does, and
returns the logits `[N, 10]`.

`data` writes the test set (`test_x.npy`, `test_y.npy`: 10,000 images) and
the calibration set (`calibration.npz`: the first N training images, as
infer-calibrate reads it).
"""
import argparse
import gzip
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # deterministic sums
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530
HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        sys.exit(f"fashion_mnist.py: {path} is missing: install Debian's dataset-fashion-mnist "
                 "(tools/infer-dev setup does)")
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def normalize(images):
    return ((images.astype(np.float32) / 255.0 - MEAN) / STD)[:, None, :, :]


def load(split):
    prefix = "train" if split == "train" else "t10k"
    return (normalize(read_idx(f"{prefix}-images-idx3-ubyte.gz")),
            read_idx(f"{prefix}-labels-idx1-ubyte.gz").astype(np.int64))


# ----------------------------------------------------------------- layers

def im2col(x):
    """[B, C, H, W] -> [B*H*W, C*9] windows of a 3x3 convolution, pad 1."""
    b, c, h, w = x.shape
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.empty((b, h, w, c, 3, 3), x.dtype)
    for i in range(3):
        for j in range(3):
            cols[..., i, j] = p[:, :, i:i + h, j:j + w].transpose(0, 2, 3, 1)
    return cols.reshape(b * h * w, c * 9)


def col2im(dcols, shape):
    b, c, h, w = shape
    d = dcols.reshape(b, h, w, c, 3, 3)
    dp = np.zeros((b, c, h + 2, w + 2), dcols.dtype)
    for i in range(3):
        for j in range(3):
            dp[:, :, i:i + h, j:j + w] += d[..., i, j].transpose(0, 3, 1, 2)
    return dp[:, :, 1:-1, 1:-1]


def conv_forward(x, w, b):
    cols = im2col(x)
    f = w.shape[0]
    y = cols @ w.reshape(f, -1).T + b
    bsz, _, h, wd = x.shape
    return y.reshape(bsz, h, wd, f).transpose(0, 3, 1, 2), cols


def conv_backward(dy, cols, x_shape, w):
    f = w.shape[0]
    d = dy.transpose(0, 2, 3, 1).reshape(-1, f)
    dw = (d.T @ cols).reshape(w.shape)
    db = d.sum(0)
    dx = col2im(d @ w.reshape(f, -1), x_shape)
    return dx, dw, db


def pool_forward(x):
    b, c, h, w = x.shape
    r = x.reshape(b, c, h // 2, 2, w // 2, 2)
    y = r.max(axis=(3, 5))
    mask = r == y[:, :, :, None, :, None]
    return y, mask


def pool_backward(dy, mask):
    """Every maximum of a window gets its gradient (ties are zeros after
    ReLU, whose own mask then drops them)."""
    d = mask * dy[:, :, :, None, :, None]
    b, c, h2, _, w2, _ = d.shape
    return d.reshape(b, c, h2 * 2, w2 * 2)


def init(rng):
    def he(shape, fan_in):
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
    return {"w1": he((16, 1, 3, 3), 9), "b1": np.zeros(16, np.float32),
            "w2": he((32, 16, 3, 3), 144), "b2": np.zeros(32, np.float32),
            "w3": he((10, 32 * 7 * 7), 32 * 7 * 7), "b3": np.zeros(10, np.float32)}


def forward(p, x, keep=False):
    c1, cols1 = conv_forward(x, p["w1"], p["b1"])
    r1 = np.maximum(c1, 0)
    p1, m1 = pool_forward(r1)
    c2, cols2 = conv_forward(p1, p["w2"], p["b2"])
    r2 = np.maximum(c2, 0)
    p2, m2 = pool_forward(r2)
    f = p2.reshape(len(x), -1)
    logits = f @ p["w3"].T + p["b3"]
    if not keep:
        return logits
    return logits, (x, cols1, c1, m1, p1, cols2, c2, m2, f)


def train(epochs, seed=0, batch=128, lr=0.05, log=print):
    x, y = load("train")
    rng = np.random.default_rng(seed)
    p = init(rng)
    v = {k: np.zeros_like(a) for k, a in p.items()}
    steps = epochs * (len(x) // batch)
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        correct = 0
        for s in range(len(x) // batch):
            idx = order[s * batch:(s + 1) * batch]
            xb, yb = x[idx], y[idx]
            logits, (xin, cols1, c1, m1, p1, cols2, c2, m2, f) = forward(p, xb, keep=True)
            z = logits - logits.max(1, keepdims=True)
            prob = np.exp(z)
            prob /= prob.sum(1, keepdims=True)
            correct += int((logits.argmax(1) == yb).sum())
            d = prob
            d[np.arange(len(yb)), yb] -= 1
            d /= len(yb)
            g = {"w3": d.T @ f, "b3": d.sum(0)}
            dp2 = (d @ p["w3"]).reshape(len(xb), 32, 7, 7)
            dc2 = pool_backward(dp2, m2) * (c2 > 0)
            dp1, g["w2"], g["b2"] = conv_backward(dc2, cols2, p1.shape, p["w2"])
            dc1 = pool_backward(dp1, m1) * (c1 > 0)
            _, g["w1"], g["b1"] = conv_backward(dc1, cols1, xin.shape, p["w1"])
            # Cosine decay of the learning rate over all steps.
            rate = np.float32(lr * 0.5 * (1 + np.cos(np.pi * step / steps)))
            for k in p:
                v[k] = np.float32(0.9) * v[k] + g[k].astype(np.float32)
                p[k] -= rate * v[k]
            step += 1
        log(f"epoch {epoch + 1}/{epochs}: training accuracy {correct / (len(x) // batch * batch):.4f}")
    return p


def export(p, path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(a, k) for k, a in p.items()]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2],
                         name="pool1"),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1], name="conv2"),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2],
                         name="pool2"),
        helper.make_node("Flatten", ["p2"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], transB=1, name="fc"),
    ]
    graph = helper.make_graph(
        nodes, "fashion_mnist_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="infer-mlir tools/models/fashion_mnist.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train and export the ONNX model")
    t.add_argument("-o", "--output", default=os.path.join(HERE, "fashion_mnist_cnn.onnx"))
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--seed", type=int, default=0)
    d = sub.add_parser("data", help="write the test set and the calibration set")
    d.add_argument("out")
    d.add_argument("--calibration", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.command == "train":
        p = train(args.epochs, args.seed)
        x, y = load("test")
        acc = float(np.mean(np.concatenate(
            [forward(p, x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)]) == y))
        print(f"test accuracy (numpy, float32): {acc:.4f}")
        export(p, args.output)
        print(f"wrote {args.output}")
    else:
        os.makedirs(args.out, exist_ok=True)
        x, y = load("test")
        np.save(os.path.join(args.out, "test_x.npy"), x)
        np.save(os.path.join(args.out, "test_y.npy"), y)
        xt, _ = load("train")
        np.savez(os.path.join(args.out, "calibration.npz"), x=xt[:args.calibration])
        print(f"wrote {args.out}: test set {x.shape}, calibration set {xt[:args.calibration].shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
