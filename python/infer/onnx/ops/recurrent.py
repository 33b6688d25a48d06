"""Recurrent layers: RNN, GRU and LSTM over a static sequence: unrolled up
to UNROLL_STEPS time steps, an scf.for over them beyond (static batch).

The input projection of every time step is one Gemm ([S*B, I] x W^T plus
both biases); each step then adds the recurrent Gemm (H_{t-1} x R^T), slices
the gates and applies the activations. Weights that are constants are
sliced per direction and transposed at import; weights that are graph
inputs are sliced at run time and multiplied transposed (trans_b).
A missing initial_h / initial_c is zero: the first step skips the recurrent
terms. Directions forward, reverse and bidirectional; activations with their
alpha/beta (Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu,
ScaledTanh, HardSigmoid, Elu, Softsign, Softplus); clip; peepholes (P);
input_forget; GRU's linear_before_reset; layout 0 and 1; sequence_lens (the
state stops at each batch entry's length, Y is zero after it: infer.where on
`t < sequence_lens`, folded when the lengths are constants); outputs Y, Y_h
and Y_c. The sequence length must be static (--input-shape).
"""
import numpy as np

from infer.onnx.errors import Unsupported
from infer.onnx.ops.registry import (FLOATS, array_attr, broadcast, converter, f32_attr,
                                     flt, tensor_type)


class V:
    """An SSA value with its element type and shape."""

    def __init__(self, ssa, elem, shape):
        self.ssa, self.elem, self.shape = ssa, elem, list(shape)

    @property
    def pair(self):
        return (self.ssa, tensor_type(self.elem, self.shape))


class Builder:
    """Emits the ops of one recurrent node."""

    def __init__(self, imp, node, elem):
        self.imp, self.node, self.elem = imp, node, elem
        self.count = 0

    def op(self, op, operands, shape, attrs="", unary=False, elem=None):
        elem = elem or self.elem
        ssa = self.imp.emit(op, [o.pair for o in operands], tensor_type(elem, shape),
                            attrs, self.node, unary=unary)
        return V(ssa, elem, shape)

    def const(self, array):
        """A constant (materialized by the importer: dense or a resource)."""
        self.count += 1
        base = self.node.name or self.node.output[0] or self.node.op_type
        name = f"{base}#const{self.count}"
        while name in self.imp.consts:
            name += "'"
        array = np.ascontiguousarray(array)
        self.imp.consts[name] = array
        elem = self.imp.type_of(name)[0]
        return V(self.imp.value(name), elem, array.shape)

    def scalar(self, value):
        ssa = self.imp.fresh()
        self.imp.lines.append(f"  {ssa} = infer.constant dense<{flt(value)}> : "
                              f"tensor<{self.elem}>")
        return V(ssa, self.elem, [])

    def binary(self, op, a, b):
        return self.op(op, [a, b], broadcast(a.shape, b.shape))

    def add(self, a, b):
        if a is None:
            return b
        if b is None:
            return a
        return self.binary("infer.add", a, b)

    def mul(self, a, b):
        return self.binary("infer.mul", a, b)

    def sub(self, a, b):
        return self.binary("infer.sub", a, b)

    def unary(self, op, x, attrs=""):
        return self.op(op, [x], x.shape, attrs, unary=True)

    def gemm(self, a, b, c=None, trans_b=False):
        n = b.shape[0] if trans_b else b.shape[1]
        return self.op("infer.gemm", [a, b] + ([c] if c is not None else []),
                       [a.shape[0], n], "trans_b = true" if trans_b else "")

    def slice(self, x, axis, start, end):
        shape = list(x.shape)
        shape[axis] = end - start
        return self.op("infer.slice", [x], shape, elem=x.elem, attrs=
                       f"starts = {array_attr([start])}, ends = {array_attr([end])}, "
                       f"axes = {array_attr([axis])}")

    def reshape(self, x, shape):
        out = [None if d == -1 else d for d in shape]
        if -1 in shape and None not in x.shape:
            out[shape.index(-1)] = int(np.prod(x.shape)) // int(
                np.prod([d for d in shape if d != -1]))
        return self.op("infer.reshape", [x], out, f"shape = {array_attr(shape)}",
                       elem=x.elem)

    def squeeze(self, x, axis):
        return self.op("infer.squeeze", [x], x.shape[:axis] + x.shape[axis + 1:],
                       f"axes = {array_attr([axis])}", elem=x.elem)

    def unsqueeze(self, x, axes):
        shape = list(x.shape)
        for a in sorted(axes):
            shape.insert(a, 1)
        return self.op("infer.unsqueeze", [x], shape, f"axes = {array_attr(axes)}",
                       elem=x.elem)

    def concat(self, parts, axis):
        if len(parts) == 1:
            return parts[0]
        shape = list(parts[0].shape)
        sizes = [p.shape[axis] for p in parts]
        shape[axis] = None if None in sizes else sum(sizes)
        return self.op("infer.concat", parts, shape, f"axis = {axis} : i64",
                       elem=parts[0].elem)

    def transpose(self, x, perm):
        return self.op("infer.transpose", [x], [x.shape[p] for p in perm],
                       f"perm = {array_attr(perm)}", elem=x.elem)

    def where(self, cond, a, b):
        shape = broadcast(broadcast(cond.shape, a.shape), b.shape)
        return self.op("infer.where", [cond, a, b], shape)

    def clip(self, x, clip):
        if clip is None:
            return x
        return self.unary("infer.clip", x, f"min = {f32_attr(-clip)}, max = {f32_attr(clip)}")

    def activation(self, spec, x):
        name, alpha, beta = spec
        if name == "sigmoid":
            return self.unary("infer.sigmoid", x)
        if name == "tanh":
            return self.unary("infer.tanh", x)
        if name == "relu":
            return self.unary("infer.relu", x)
        if name == "leakyrelu":
            return self.unary("infer.leaky_relu", x, f"alpha = {f32_attr(alpha)}")
        if name == "hardsigmoid":
            return self.unary("infer.hard_sigmoid", x,
                              f"alpha = {f32_attr(alpha)}, beta = {f32_attr(beta)}")
        if name == "affine":
            return self.add(self.mul(x, self.scalar(alpha)), self.scalar(beta))
        if name == "scaledtanh":
            t = self.unary("infer.tanh", self.mul(x, self.scalar(beta)))
            return self.mul(t, self.scalar(alpha))
        if name == "thresholdedrelu":
            mask = self.op("infer.greater", [x, self.scalar(alpha)], x.shape, elem="i1")
            return self.where(mask, x, self.scalar(0.0))
        if name == "elu":
            e = self.unary("infer.exp", x)
            neg = self.mul(self.sub(e, self.scalar(1.0)), self.scalar(alpha))
            mask = self.op("infer.less", [x, self.scalar(0.0)], x.shape, elem="i1")
            return self.where(mask, neg, x)
        if name == "softsign":
            a = self.unary("infer.abs", x)
            return self.binary("infer.div", x, self.add(a, self.scalar(1.0)))
        if name == "softplus":
            # log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)), finite for large x.
            a = self.unary("infer.neg", self.unary("infer.abs", x))
            e = self.add(self.unary("infer.exp", a), self.scalar(1.0))
            return self.add(self.unary("infer.relu", x), self.unary("infer.log", e))
        raise AssertionError(name)


# Activations: how many alphas and betas each takes, and the values a
# missing one has, as onnxruntime reads them: the defaults of the ONNX ops of
# the same name for LeakyRelu, HardSigmoid and Elu, 0 for Affine, ScaledTanh
# and ThresholdedRelu.
ACTIVATIONS = {
    "sigmoid": (), "tanh": (), "relu": (), "softsign": (), "softplus": (),
    "affine": (0.0, 0.0), "scaledtanh": (0.0, 0.0), "hardsigmoid": (0.2, 0.5),
    "leakyrelu": (0.01,), "thresholdedrelu": (0.0,), "elu": (1.0,),
}
DEFAULT_ACTIVATIONS = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"],
                       "LSTM": ["Sigmoid", "Tanh", "Tanh"]}


def activations(imp, node, per_direction, directions):
    """[(name, alpha, beta)] for every direction's activations, in order.
    alpha and beta values are consumed in order by the activations that
    take them, as onnxruntime does."""
    names = imp.attr(node, "activations")
    if names is None:
        names = DEFAULT_ACTIVATIONS[node.op_type] * directions
    names = [n.decode() if isinstance(n, bytes) else n for n in names]
    if len(names) == per_direction and directions == 2:
        names = names * 2
    if len(names) != per_direction * directions:
        raise imp.fail(node, f"attribute 'activations' has {len(names)} values, "
                       f"expected {per_direction * directions} ({per_direction} per "
                       "direction)")
    alphas = list(imp.attr(node, "activation_alpha", []))
    betas = list(imp.attr(node, "activation_beta", []))
    specs = []
    for name in names:
        key = name.lower()
        if key not in ACTIVATIONS:
            raise imp.fail(node, f"activation '{name}' is not supported (supported: "
                           "Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, "
                           "ScaledTanh, HardSigmoid, Elu, Softsign, Softplus)",
                           Unsupported)
        defaults = ACTIVATIONS[key]
        alpha = beta = None
        if len(defaults) >= 1:
            alpha = alphas.pop(0) if alphas else defaults[0]
        if len(defaults) >= 2:
            beta = betas.pop(0) if betas else defaults[1]
        specs.append((key, alpha, beta))
    return [specs[d * per_direction:(d + 1) * per_direction] for d in range(directions)]


GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
# Longer sequences (with a static batch) run as an scf.for over the time
# steps: unrolled, the IR grows with the length and so does compile time.
UNROLL_STEPS = 16


@converter("RNN", "GRU", "LSTM")
def convert_recurrent(imp, node):
    op = node.op_type
    gates = GATES[op]
    elem, x_shape = imp.type_of(node.input[0], node)
    if elem not in FLOATS:
        raise imp.fail(node, f"element type {elem} is not a float type")
    layout = imp.attr(node, "layout", 0)
    direction = imp.attr(node, "direction", b"forward")
    direction = direction.decode() if isinstance(direction, bytes) else direction
    if direction not in ("forward", "reverse", "bidirectional"):
        raise imp.fail(node, f"attribute 'direction' is '{direction}', expected forward, "
                       "reverse or bidirectional")
    dirs = 2 if direction == "bidirectional" else 1
    hidden = imp.attr(node, "hidden_size")
    w_shape = imp.type_of(node.input[1], node)[1]
    if hidden is None:
        if w_shape[1] is None:
            raise imp.fail(node, "attribute 'hidden_size' is missing and W's shape is "
                           "dynamic")
        hidden = w_shape[1] // gates
    clip = imp.attr(node, "clip")
    input_forget = imp.attr(node, "input_forget", 0) if op == "LSTM" else 0
    linear_before_reset = imp.attr(node, "linear_before_reset", 0) if op == "GRU" else 0
    per_direction = {"RNN": 1, "GRU": 2, "LSTM": 3}[op]
    acts = activations(imp, node, per_direction, dirs)
    b = Builder(imp, node, elem)

    x = V(imp.value(node.input[0], node), elem, x_shape)
    if layout:
        x = b.transpose(x, [1, 0, 2])
    seq, batch, size = x.shape
    if seq is None:
        raise imp.fail(node, "the sequence length (dimension "
                       f"{1 if layout else 0} of X) is dynamic; RNN, GRU and LSTM are "
                       "unrolled over a static sequence: fix it with --input-shape",
                       Unsupported)
    if size is None:
        raise imp.fail(node, "the input size (last dimension of X) is dynamic",
                       Unsupported)
    H = hidden

    def operand(i):
        name = imp.input(node, i)
        if name is None:
            return None, None
        if name in imp.consts:
            return np.asarray(imp.consts[name]), None
        e, shape = imp.type_of(name, node)
        return None, V(imp.value(name, node), e, shape)

    def state(i):
        """initial_h / initial_c as [dirs, B, H] (None when absent)."""
        const, value = operand(i)
        if const is not None:
            if layout:
                const = const.transpose(1, 0, 2)
            return b.const(const.astype(x_const_dtype(elem)))
        if value is not None and layout:
            value = b.transpose(value, [1, 0, 2])
        return value

    w_const, w_val = operand(1)
    r_const, r_val = operand(2)
    bias_const, bias_val = operand(3)
    lens_const, lens_val = operand(4)
    h0 = state(5)
    c0 = state(6) if op == "LSTM" else None
    p_const, p_val = operand(7) if op == "LSTM" else (None, None)
    dtype = x_const_dtype(elem)

    want_y = len(node.output) > 0 and bool(node.output[0])
    # Steps masked by sequence_lens: per time step, [B, 1] i1 (None: all
    # run); in the loop form, t < lens_v ([B, 1]) at each step.
    masks = [None] * seq
    lens_v = None
    looped = seq > UNROLL_STEPS and batch is not None
    if lens_const is not None:
        lens = lens_const.astype(np.int64).reshape(-1)
        if (lens < seq).any():
            if looped:
                lens_v = b.const(lens.reshape(-1, 1).astype(np.int32))
            for t in range(0 if looped else seq):
                keep = (t < lens).reshape(-1, 1)
                if not keep.all():
                    masks[t] = b.const(keep)
    elif lens_val is not None:
        lens_v = b.reshape(lens_val, [-1, 1])
        for t in range(0 if looped else seq):
            t_const = b.const(np.array(t, lens_const_dtype(lens_val.elem)))
            masks[t] = b.op("infer.less", [t_const, lens_v], lens_v.shape, elem="i1")

    x2 = b.reshape(x, [-1, size])
    zero = b.scalar(0.0)
    ys, hs, cs = [], [], []
    for d in range(dirs):
        reverse = direction == "reverse" or d == 1
        f = acts[d]
        # Input weights [I, gates*H], recurrent [H, gates*H] (or their
        # transposes at run time, with trans_b).
        if w_const is not None:
            wt = (b.const(w_const[d].T.astype(dtype)), False)
        else:
            wt = (b.reshape(b.slice(w_val, 0, d, d + 1), [gates * H, size]), True)
        if r_const is not None:
            rt_all = r_const[d].T.astype(dtype)
            if op == "GRU":
                rt = (b.const(rt_all[:, :2 * H]), False)
                rt_h = (b.const(rt_all[:, 2 * H:]), False)
            else:
                rt = (b.const(rt_all), False)
        else:
            r_d = b.reshape(b.slice(r_val, 0, d, d + 1), [gates * H, H])
            if op == "GRU":
                rt = (b.slice(r_d, 0, 0, 2 * H), True)
                rt_h = (b.slice(r_d, 0, 2 * H, 3 * H), True)
            else:
                rt = (r_d, True)
        # Biases: Wb + Rb added to the input projection, except GRU's Rbh with
        # linear_before_reset (inside r * (...)).
        rbh = None
        if bias_const is not None:
            wb, rb = bias_const[d][:gates * H], bias_const[d][gates * H:]
            if op == "GRU" and linear_before_reset:
                total = wb + np.concatenate([rb[:2 * H], np.zeros(H, rb.dtype)])
                rbh = b.const(rb[2 * H:].astype(dtype))
            else:
                total = wb + rb
            bias = b.const(total.astype(dtype))
        elif bias_val is not None:
            b_d = b.reshape(b.slice(bias_val, 0, d, d + 1), [2 * gates * H])
            wb = b.slice(b_d, 0, 0, gates * H)
            if op == "GRU" and linear_before_reset:
                rb_zr = b.slice(b_d, 0, gates * H, gates * H + 2 * H)
                rbh = b.slice(b_d, 0, gates * H + 2 * H, 2 * gates * H)
                bias = b.add(wb, b.concat([rb_zr, b.const(np.zeros(H, dtype))], 0))
            else:
                bias = b.add(wb, b.slice(b_d, 0, gates * H, 2 * gates * H))
        else:
            bias = None
        proj = b.op("infer.gemm", [x2, wt[0]] + ([bias] if bias is not None else []),
                    [x2.shape[0], gates * H], "trans_b = true" if wt[1] else "")
        proj = b.reshape(proj, [seq, -1 if batch is None else batch, gates * H])
        if p_const is not None:
            p = [b.const(p_const[d][k * H:(k + 1) * H].astype(dtype)) for k in range(3)]
        elif p_val is not None:
            p_d = b.reshape(b.slice(p_val, 0, d, d + 1), [3 * H])
            p = [b.slice(p_d, 0, k * H, (k + 1) * H) for k in range(3)]
        else:
            p = None
        h = None if h0 is None else b.squeeze(b.slice(h0, 0, d, d + 1), 0)
        c = None if c0 is None else b.squeeze(b.slice(c0, 0, d, d + 1), 0)
        def step(xt, h, c, m):
            """One time step: (Y_t, H_t, C_t); `m` masks finished batch entries."""
            if op == "RNN":
                pre = b.add(xt, None if h is None else b.gemm(h, rt[0], trans_b=rt[1]))
                h_new = b.activation(f[0], b.clip(pre, clip))
                c_new = None
            elif op == "LSTM":
                g = b.add(xt, None if h is None else b.gemm(h, rt[0], trans_b=rt[1]))
                i_pre, o_pre = b.slice(g, 1, 0, H), b.slice(g, 1, H, 2 * H)
                f_pre, c_pre = b.slice(g, 1, 2 * H, 3 * H), b.slice(g, 1, 3 * H, 4 * H)
                if p is not None and c is not None:
                    i_pre = b.add(i_pre, b.mul(p[0], c))
                    f_pre = b.add(f_pre, b.mul(p[2], c))
                i_g = b.activation(f[0], b.clip(i_pre, clip))
                if input_forget:
                    f_g = b.sub(b.scalar(1.0), i_g)
                else:
                    f_g = b.activation(f[0], b.clip(f_pre, clip))
                c_g = b.activation(f[1], b.clip(c_pre, clip))
                c_new = b.mul(i_g, c_g)
                if c is not None:
                    c_new = b.add(b.mul(f_g, c), c_new)
                if p is not None:
                    o_pre = b.add(o_pre, b.mul(p[1], c_new))
                o_g = b.activation(f[0], b.clip(o_pre, clip))
                h_new = b.mul(o_g, b.activation(f[2], c_new))
            else:  # GRU
                rec = None if h is None else b.gemm(h, rt[0], trans_b=rt[1])
                zr = b.add(b.slice(xt, 1, 0, 2 * H), rec)
                z = b.activation(f[0], b.clip(b.slice(zr, 1, 0, H), clip))
                r = b.activation(f[0], b.clip(b.slice(zr, 1, H, 2 * H), clip))
                xh = b.slice(xt, 1, 2 * H, 3 * H)
                if linear_before_reset:
                    hr = rbh if h is None else b.gemm(h, rt_h[0], rbh, trans_b=rt_h[1])
                    h_pre = xh if hr is None else b.add(xh, b.mul(r, hr))
                else:
                    h_pre = xh if h is None else b.add(
                        xh, b.gemm(b.mul(r, h), rt_h[0], trans_b=rt_h[1]))
                h_cand = b.activation(f[1], b.clip(h_pre, clip))
                # (1 - z) * h~ + z * H = h~ + z * (H - h~)
                if h is None:
                    h_new = b.mul(b.sub(b.scalar(1.0), z), h_cand)
                else:
                    h_new = b.add(h_cand, b.mul(z, b.sub(h, h_cand)))
                c_new = None
            if h_new.shape[0] is None and batch is not None:
                h_new.shape[0] = batch
            if m is None:
                return h_new, h_new, c_new if c_new is not None else c
            y_t = b.where(m, h_new, zero)
            h = b.where(m, h_new, zero if h is None else h)
            if c_new is not None:
                c = b.where(m, c_new, zero if c is None else c)
            return y_t, h, c

        if seq > UNROLL_STEPS and batch is not None:
            y, h, c = time_loop(b, op, proj, h, c, H, reverse, lens_v, step)
        else:
            outs = [None] * seq
            for t in (range(seq - 1, -1, -1) if reverse else range(seq)):
                xt = b.squeeze(b.slice(proj, 0, t, t + 1), 0)
                outs[t], h, c = step(xt, h, c, masks[t])
            y = b.concat([b.unsqueeze(v, [0]) for v in outs], 0) if want_y else None
        ys.append(y)
        hs.append(h)
        cs.append(c)

    def stack(values, axis):
        return b.concat([b.unsqueeze(v, [axis]) for v in values], axis)

    def bind(i, value):
        if i < len(node.output) and node.output[i]:
            imp.bind(node.output[i], value.ssa, (value.elem, value.shape))

    if len(node.output) > 0 and node.output[0]:
        # Y: [S, dirs, B, H] (layout 1: [B, S, dirs, H]).
        y = b.concat([b.unsqueeze(v, [1]) for v in ys], 1)
        bind(0, b.transpose(y, [2, 0, 1, 3]) if layout else y)
    for i, finals in ((1, hs), (2, cs)):
        if i < len(node.output) and node.output[i]:
            if op != "LSTM" and i == 2:
                break
            y = stack(finals, 0)
            bind(i, b.transpose(y, [1, 0, 2]) if layout else y)


def time_loop(b, op, proj, h, c, H, reverse, lens_v, step):
    """The time steps as an scf.for over t (Y_t inserted at row t of a
    [S, B, H] buffer); returns (Y as [S, B, H], H_S, C_S)."""
    from infer.onnx.ops.control import loc
    imp = b.imp
    seq, batch, gh = proj.shape
    dtype = x_const_dtype(b.elem)
    if h is None:
        h = b.const(np.zeros((batch, H), dtype))
    if op == "LSTM" and c is None:
        c = b.const(np.zeros((batch, H), dtype))
    state = [h] + ([c] if op == "LSTM" else [])
    lines = imp.lines
    here = loc(imp)
    c0, c1, cs, clast = imp.fresh(), imp.fresh(), imp.fresh(), imp.fresh()
    lines.append(f"  {c0} = arith.constant 0 : index{here}")
    lines.append(f"  {c1} = arith.constant 1 : index{here}")
    lines.append(f"  {cs} = arith.constant {seq} : index{here}")
    lines.append(f"  {clast} = arith.constant {seq - 1} : index{here}")
    y_t = tensor_type(b.elem, [seq, batch, H])
    y0 = imp.fresh()
    lines.append(f"  {y0} = tensor.empty() : {y_t}{here}")
    i = imp.fresh()
    args = [imp.fresh() for _ in state] + [imp.fresh()]
    body = []
    imp.lines = body
    t = i
    if reverse:
        t = imp.fresh()
        body.append(f"  {t} = arith.subi {clast}, {i} : index{here}")
    xt = imp.fresh()
    body.append(f"  {xt} = tensor.extract_slice {proj.ssa}[{t}, 0, 0] [1, {batch}, {gh}] "
                f"[1, 1, 1] : {tensor_type(b.elem, proj.shape)} to "
                f"{tensor_type(b.elem, [batch, gh])}{here}")
    m = None
    if lens_v is not None:
        ti, tt = imp.fresh(), imp.fresh()
        body.append(f"  {ti} = arith.index_cast {t} : index to {lens_v.elem}{here}")
        body.append(f"  {tt} = tensor.from_elements {ti} : tensor<{lens_v.elem}>{here}")
        m = b.op("infer.less", [V(tt, lens_v.elem, []), lens_v], lens_v.shape, elem="i1")
    cur = [V(a, v.elem, v.shape) for a, v in zip(args, state)]
    y, h_new, c_new = step(V(xt, b.elem, [batch, gh]), cur[0],
                           cur[1] if op == "LSTM" else None, m)
    yields = []
    for new, arg in zip([h_new] + ([c_new] if op == "LSTM" else []), args):
        t_ = tensor_type(new.elem, new.shape)
        copy, into = imp.fresh(), imp.fresh()
        body.append(f"  {copy} = bufferization.alloc_tensor() copy({new.ssa}) : {t_}{here}")
        body.append(f"  {into} = bufferization.materialize_in_destination {copy} in {arg} : "
                    f"({t_}, {t_}) -> {t_}{here}")
        yields.append(into)
    ins = imp.fresh()
    body.append(f"  {ins} = tensor.insert_slice {y.ssa} into {args[-1]}[{t}, 0, 0] "
                f"[1, {batch}, {H}] [1, 1, 1] : {tensor_type(b.elem, [batch, H])} into "
                f"{y_t}{here}")
    yields.append(ins)
    imp.lines = lines
    types = [tensor_type(v.elem, v.shape) for v in state] + [y_t]
    res = imp.fresh()
    iter_args = ", ".join(f"{a} = {v}" for a, v in zip(args, [v.ssa for v in state] + [y0]))
    lines.append(f"  {res}:{len(types)} = scf.for {i} = {c0} to {cs} step {c1} "
                 f"iter_args({iter_args}) -> ({', '.join(types)}) {{")
    lines += ["  " + line for line in body]
    lines.append(f"    scf.yield {', '.join(yields)} : {', '.join(types)}{here}")
    lines.append(f"  }}{here}")
    out = [V(f"{res}#{k}", v.elem, v.shape) for k, v in enumerate(state)]
    return (V(f"{res}#{len(state)}", b.elem, [seq, batch, H]), out[0],
            out[1] if op == "LSTM" else None)


def x_const_dtype(elem):
    return {"f32": np.float32, "f16": np.float16, "f64": np.float64}.get(elem, np.float32)


def lens_const_dtype(elem):
    return {"i32": np.int32, "i64": np.int64}.get(elem, np.int32)
