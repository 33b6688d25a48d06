"""Importer-side decompositions: ONNX ops without a function body (or with
one the importer cannot use) that are compositions of existing dialect ops.

- CastLike: infer.cast to the element type of input 1 (folded on constants).
- Split (all opsets: `split` attribute or input, `num_outputs`, the smaller
  last chunk): one infer.slice per output.
- Tile (constant repeats): unsqueeze + expand + reshape.
- OneHot (constant depth): equal against a constant range, then where.
- Hardmax: arg_max, equal against a constant range, cast (before opset 13
  on the input coerced to 2-D, as Softmax).
- EyeLike: a constant (the input's shape must be static).
- Einsum (constant equation): diagonals (a repeated label) by reshape and a
  strided slice, labels only one operand has summed, pairs of operands by
  transposes, reshapes and a batched infer.matmul (float types; other types
  by a broadcast product and reduce_sum), the result transposed to the
  output's order. Contractions need static sizes.
- GlobalMaxPool: reduce_max over the spatial axes.
- DepthToSpace (DCR and CRD), SpaceToDepth: reshape, transpose, reshape.
- InstanceNormalization: the statistics over the spatial axes.
- Compress (constant condition): gather of the selected indices.
- PRelu: where(x < 0, x * slope, x) (before opset 7 a 1-D slope is per
  channel, which the function body of PRelu-16 cannot say).
- TopK (constant K): ranks from pairwise comparisons, the first K picked
  and gathered; ReverseSequence (constant lengths): gather_elements with
  constant indices; MaxUnpool: scatter_elements into zeros.
- Det (static n): the Leibniz formula for n <= 4, Gaussian elimination
  with partial pivoting (unrolled) above.
- Range, HannWindow, HammingWindow, BlackmanWindow, MelWeightMatrix:
  evaluated at import time (their inputs must be constants; the error
  names the graph input a computed one comes from).
"""
import itertools

import numpy as np

from infer.onnx.errors import ImportError_, NeedsConstant, Unsupported
from infer.onnx.ops.folding import fold_numpy
from infer.onnx.ops.registry import (ELEMENT_TYPES, FLOATS, NUMPY_TYPES, array_attr,
                                     converter, tensor_type)

NP_DTYPES = {elem: dtype for dtype, elem in NUMPY_TYPES.items()}
_COUNT = itertools.count()


def _value(imp, node, name):
    """(ssa, type) of an ONNX value."""
    return (imp.value(name, node), imp.ttype(name, node))


def _const(imp, node, array):
    """(ssa, type) of a constant made here."""
    name = f"{node.output[0] or node.op_type}#const{next(_COUNT)}"
    imp.consts[name] = np.asarray(array)
    return (imp.value(name, node), imp.ttype(name, node))


def _op(imp, node, op, operands, elem, shape, attrs="", unary=False):
    t = tensor_type(elem, shape)
    return (imp.emit(op, operands, t, attrs, node, unary=unary), t)


def _bind(imp, name, value, elem, shape):
    imp.bind(name, value[0], (elem, list(shape)))


def _prod(dims):
    return None if any(d is None for d in dims) else int(np.prod(dims, dtype=np.int64))


def _dims(shape):
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _norm_axis(imp, node, axis, rank):
    if not -rank <= axis < rank:
        raise imp.fail(node, f"axis {axis} is out of range for rank {rank}")
    return axis + rank if axis < 0 else axis


def _reshape(imp, node, value, elem, shape, new_shape):
    """Reshape to `new_shape` (None: unknown; at most one)."""
    if list(shape) == list(new_shape) and None not in shape:
        return value
    if sum(d is None for d in new_shape) > 1:
        raise imp.fail(node, f"needs static sizes here (a reshape to "
                       f"{_dims(new_shape)})", Unsupported)
    target = [-1 if d is None else d for d in new_shape]
    return _op(imp, node, "infer.reshape", [value], elem, new_shape,
               f"shape = {array_attr(target)}")


def _transpose(imp, node, value, elem, shape, perm):
    if list(perm) == list(range(len(perm))):
        return value, list(shape)
    out = [shape[p] for p in perm]
    return _op(imp, node, "infer.transpose", [value], elem, out,
               f"perm = {array_attr(perm)}"), out


# ----------------------------------------------------------------- CastLike


@converter("CastLike", since=15)
def convert_cast_like(imp, node):
    to = imp.type_of(node.input[1], node)[0]
    name = node.input[0]
    elem, shape = imp.type_of(name, node)
    if name in imp.consts and to in NP_DTYPES:
        imp.consts[node.output[0]] = np.asarray(imp.consts[name]).astype(NP_DTYPES[to])
        return
    if elem == to:
        imp.bind(node.output[0], imp.value(name, node), (elem, shape))
        return
    ssa = imp.emit("infer.cast", [name], tensor_type(to, shape), node=node)
    imp.bind(node.output[0], ssa, (to, shape))


# -------------------------------------------------------------------- Split


@converter("Split")
def convert_split(imp, node):
    """Every opset: `split` is input 1 (opset 1, 13 on) or an attribute (1
    to 12); without it the axis is cut into `num_outputs` (18 on) or as many
    parts as outputs, the last smaller if it does not divide."""
    elem, shape = imp.type_of(node.input[0], node)
    axis = _norm_axis(imp, node, imp.attr(node, "axis", 0), len(shape))
    dim = shape[axis]
    split = imp.const_input(node, 1, "split") if imp.input(node, 1) else None
    if split is None and imp.attr(node, "split") is not None:
        split = np.array(imp.attr(node, "split"))
    outputs = list(node.output)
    if split is not None:
        sizes = [int(s) for s in np.asarray(split).reshape(-1)]
    else:
        n = imp.attr(node, "num_outputs", len(outputs))
        if dim is None:
            raise imp.fail(node, "splitting a dynamic axis needs the 'split' sizes",
                           Unsupported)
        part = dim // n if dim % n == 0 else dim // n + 1
        sizes = [part] * n
        sizes[-1] += dim - sum(sizes)
        if sizes[-1] < 0:
            raise imp.fail(node, f"axis {axis} of size {dim} cannot be split into {n} parts")
    if len(sizes) != len(outputs):
        raise imp.fail(node, f"{len(sizes)} split sizes for {len(outputs)} outputs")
    if dim is not None and sum(sizes) != dim:
        raise imp.fail(node, f"split sizes {sizes} do not add up to {dim}")
    x = _value(imp, node, node.input[0])
    offset = 0
    for name, size in zip(outputs, sizes):
        if name:
            out = list(shape)
            out[axis] = size
            value = _op(imp, node, "infer.slice", [x], elem, out,
                        f"starts = {array_attr([offset])}, ends = "
                        f"{array_attr([offset + size])}, axes = {array_attr([axis])}")
            _bind(imp, name, value, elem, out)
        offset += size


# --------------------------------------------------------------------- Tile


@converter("Tile", since=6)
def convert_tile(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    repeats = [int(r) for r in imp.const_input(node, 1, "repeats").reshape(-1)]
    if len(repeats) != len(shape):
        raise imp.fail(node, f"{len(repeats)} repeats for rank {len(shape)}")
    if any(r < 0 for r in repeats):
        raise imp.fail(node, f"repeats {repeats} must not be negative")
    x = _value(imp, node, node.input[0])
    tiled = [i for i, r in enumerate(repeats) if r != 1]
    if not tiled:
        _bind(imp, node.output[0], x, elem, shape)
        return
    # [.., d_i, ..] -> [.., 1, d_i, ..] -> [.., r_i, d_i, ..] -> [.., r_i * d_i, ..]
    lifted, grown, axes, final = [], [], [], []
    for i, d in enumerate(shape):
        if i in tiled:
            axes.append(len(lifted))
            lifted.append(1)
            grown.append(repeats[i])
        lifted.append(d)
        grown.append(d)
        final.append(d if i not in tiled else
                     (None if d is None else d * repeats[i]))
    u = _op(imp, node, "infer.unsqueeze", [x], elem, lifted, f"axes = {array_attr(axes)}")
    target = [repeats[tiled[axes.index(p)]] if p in axes else 1 for p in range(len(lifted))]
    e = _op(imp, node, "infer.expand", [u], elem, grown, f"shape = {array_attr(target)}")
    out = _reshape(imp, node, e, elem, grown, final)
    _bind(imp, node.output[0], out, elem, final)


# ------------------------------------------------------------------- OneHot


def _axis_range(n, axis, rank):
    """arange(n) (int64) laid along `axis` of a rank-`rank` tensor."""
    shape = [1] * rank
    shape[axis] = n
    return np.arange(n, dtype=np.int64).reshape(shape)


@converter("OneHot", since=9)
def convert_one_hot_9(imp, node):
    """OneHot-9: a negative index matches nothing."""
    emit_one_hot(imp, node, negative_indices=False)


@converter("OneHot", since=11)
def convert_one_hot(imp, node):
    """OneHot-11 on: a negative index counts from the back."""
    emit_one_hot(imp, node, negative_indices=True)


def emit_one_hot(imp, node, negative_indices):
    depth = imp.const_input(node, 1, "depth")
    depth = int(np.asarray(depth).reshape(-1)[0])
    if depth < 1:
        raise imp.fail(node, f"depth must be positive, got {depth}")
    ielem, ishape = imp.type_of(node.input[0], node)
    velem = imp.type_of(node.input[2], node)[0]
    rank = len(ishape) + 1
    axis = _norm_axis(imp, node, imp.attr(node, "axis", -1), rank)
    out_shape = ishape[:axis] + [depth] + ishape[axis:]
    idx = _value(imp, node, node.input[0])
    if ielem != "i64":
        idx = _op(imp, node, "infer.cast", [idx], "i64", ishape)
    # Negative indices count from the back (opset 11 on; before, they
    # match nothing, and adding depth cannot bring them into range
    # differently for valid inputs).
    if negative_indices:
        zero = _const(imp, node, np.array(0, np.int64))
        neg = _op(imp, node, "infer.less", [idx, zero], "i1", ishape)
        shifted = _op(imp, node, "infer.add", [idx, _const(imp, node, np.array(depth, np.int64))],
                      "i64", ishape)
        idx = _op(imp, node, "infer.where", [neg, shifted, idx], "i64", ishape)
    u = _op(imp, node, "infer.unsqueeze", [idx], "i64", ishape[:axis] + [1] + ishape[axis:],
            f"axes = {array_attr([axis])}")
    mask = _op(imp, node, "infer.equal", [u, _const(imp, node, _axis_range(depth, axis, rank))],
               "i1", out_shape)
    values = imp.consts.get(node.input[2])
    if values is not None:
        values = np.asarray(values).reshape(-1)
        off, on = _const(imp, node, values[0]), _const(imp, node, values[1])
    else:
        v = _value(imp, node, node.input[2])
        off, on = (_op(imp, node, "infer.reshape",
                       [_op(imp, node, "infer.slice", [v], velem, [1],
                            f"starts = {array_attr([k])}, ends = {array_attr([k + 1])}")],
                       velem, [], f"shape = {array_attr([])}") for k in (0, 1))
    out = _op(imp, node, "infer.where", [mask, on, off], velem, out_shape)
    _bind(imp, node.output[0], out, velem, out_shape)


# ------------------------------------------------------------------ Hardmax


@converter("Hardmax")
def convert_hardmax_1(imp, node):
    """Hardmax-1 and -11: the input is coerced to 2-D at `axis` (default 1)."""
    emit_hardmax(imp, node, coerce_2d=True)


@converter("Hardmax", since=13)
def convert_hardmax(imp, node):
    """Hardmax-13 on: along `axis` (default -1) of the input as it is."""
    emit_hardmax(imp, node, coerce_2d=False)


def emit_hardmax(imp, node, coerce_2d):
    """1 at the first maximum along the axis, 0 elsewhere."""
    elem, shape = imp.type_of(node.input[0], node)
    rank = len(shape)
    x = _value(imp, node, node.input[0])
    if coerce_2d:
        axis = _norm_axis(imp, node, imp.attr(node, "axis", 1), rank)
        flat = [_prod(shape[:axis]), _prod(shape[axis:])]
        if axis != rank - 1:
            x = _op(imp, node, "infer.flatten", [x], elem, flat, f"axis = {axis} : i64")
            work, work_axis = flat, 1
        else:
            work, work_axis = shape, axis
    else:
        work, work_axis = shape, _norm_axis(imp, node, imp.attr(node, "axis", -1), rank)
    n = work[work_axis]
    if n is None:
        raise imp.fail(node, "the size of the axis must be static", Unsupported)
    keep = list(work)
    keep[work_axis] = 1
    am = _op(imp, node, "infer.arg_max", [x], "i64", keep,
             f"axis = {work_axis} : i64, keepdims = true")
    mask = _op(imp, node, "infer.equal",
               [am, _const(imp, node, _axis_range(n, work_axis, len(work)))], "i1", work)
    out = _op(imp, node, "infer.cast", [mask], elem, work)
    if work is not shape:
        out = _reshape(imp, node, out, elem, work, shape)
    _bind(imp, node.output[0], out, elem, shape)


# ------------------------------------------------------------------ EyeLike


@converter("EyeLike", since=9)
def convert_eye_like(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    if len(shape) != 2 or None in shape:
        raise imp.fail(node, "the input must be 2-D with static sizes", Unsupported)
    dtype = imp.attr(node, "dtype")
    to = ELEMENT_TYPES.get(dtype) if dtype is not None else elem
    if to not in NP_DTYPES:
        raise imp.fail(node, f"output type {dtype} is not supported", Unsupported)
    imp.consts[node.output[0]] = np.eye(shape[0], shape[1], imp.attr(node, "k", 0),
                                        dtype=NP_DTYPES[to])


# ------------------------------------------------------------------- Einsum


def _parse_einsum(imp, node, ranks):
    """Labels of each operand and of the output; an ellipsis becomes labels
    '.0', '.1'... aligned from the right."""
    eq = imp.attr(node, "equation")
    eq = (eq.decode() if isinstance(eq, bytes) else eq).replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise imp.fail(node, f"equation '{eq}' has {len(terms)} operands, the node "
                       f"{len(ranks)}")
    ell = 0
    for t, r in zip(terms, ranks):
        if "..." in t:
            ell = max(ell, r - len(t.replace("...", "")))

    def labels(term, rank=None):
        if term.count("...") > 1 or any(not (c.isalpha() or c == ".")
                                        for c in term.replace("...", "")):
            raise imp.fail(node, f"equation '{eq}' is malformed")
        head, dots, tail = term.partition("...")
        if not dots:
            return list(head)
        k = ell if rank is None else rank - len(head) - len(tail)
        return list(head) + [f".{ell - k + j}" for j in range(k)] + list(tail)
    ops = [labels(t, r) for t, r in zip(terms, ranks)]
    for t, ls, r in zip(terms, ops, ranks):
        if len(ls) != r:
            raise imp.fail(node, f"term '{t}' of '{eq}' has {len(ls)} labels for "
                           f"rank {r}")
    if arrow:
        out = labels(rhs)
    else:
        counts = {}
        for ls in ops:
            for label in ls:
                counts[label] = counts.get(label, 0) + 1
        out = [f".{j}" for j in range(ell)] + sorted(
            c for c, k in counts.items() if k == 1 and not c.startswith("."))
    if len(set(out)) != len(out) or any(label not in sum(ops, []) for label in out):
        raise imp.fail(node, f"equation '{eq}' has a bad output")
    return eq, ops, out


class _Term:
    """An Einsum operand being rewritten: value, labels, sizes."""

    def __init__(self, value, labels, shape):
        self.value, self.labels, self.shape = value, list(labels), list(shape)


def _einsum_diagonal(imp, node, elem, t, eq):
    """Takes the diagonal of each label repeated in `t`."""
    while len(set(t.labels)) != len(t.labels):
        label = next(c for c in t.labels if t.labels.count(c) > 1)
        p = t.labels.index(label)
        q = t.labels.index(label, p + 1)
        n = t.shape[p]
        if n is None or t.shape[q] != n:
            raise imp.fail(node, f"equation '{eq}': the diagonal of label '{label}' "
                           "needs equal static sizes", Unsupported)
        rest = [i for i in range(len(t.labels)) if i not in (p, q)]
        value, shape = _transpose(imp, node, t.value, elem, t.shape, rest + [p, q])
        flat = shape[:-2] + [n * n]
        value = _op(imp, node, "infer.reshape", [value], elem, flat,
                    f"shape = {array_attr([0] * (len(flat) - 1) + [n * n])}")
        out = shape[:-2] + [n]
        value = _op(imp, node, "infer.slice", [value], elem, out,
                    f"starts = {array_attr([0])}, ends = {array_attr([n * n])}, "
                    f"axes = {array_attr([len(flat) - 1])}, steps = {array_attr([n + 1])}")
        t.value, t.shape = value, out
        t.labels = [t.labels[i] for i in rest] + [label]


def _einsum_sum(imp, node, elem, t, keep):
    """Sums the labels of `t` not in `keep`."""
    axes = [i for i, c in enumerate(t.labels) if c not in keep]
    if not axes:
        return
    shape = [d for i, d in enumerate(t.shape) if i not in axes]
    t.value = _op(imp, node, "infer.reduce_sum", [t.value], elem, shape,
                  f"axes = {array_attr(axes)}, keepdims = false")
    t.labels = [c for i, c in enumerate(t.labels) if i not in axes]
    t.shape = shape


def _einsum_broadcast(imp, node, elem, a, b, eq):
    """Expands size-1 dimensions of labels the two operands share (an
    ellipsis broadcasts)."""
    for t, other in ((a, b), (b, a)):
        target = []
        for c, d in zip(t.labels, t.shape):
            od = other.shape[other.labels.index(c)] if c in other.labels else d
            if d == 1 and od != 1:
                if od is None:
                    raise imp.fail(node, f"equation '{eq}': broadcasting to a dynamic "
                                   "size is not supported", Unsupported)
                target.append(od)
            elif d is not None and od is not None and d != od and od != 1:
                raise imp.fail(node, f"equation '{eq}': label '{c}' has sizes {d} and {od}")
            else:
                target.append(1)
        if any(x != 1 for x in target):
            shape = [x if x != 1 else d for x, d in zip(target, t.shape)]
            t.value = _op(imp, node, "infer.expand", [t.value], elem, shape,
                          f"shape = {array_attr(target)}")
            t.shape = shape


def _einsum_pair(imp, node, elem, a, b, keep, eq):
    """Contracts two operands over their shared labels not in `keep`."""
    _einsum_broadcast(imp, node, elem, a, b, eq)
    size = {c: d for t in (a, b) for c, d in zip(t.labels, t.shape)}
    batch = [c for c in a.labels if c in b.labels and c in keep]
    summed = [c for c in a.labels if c in b.labels and c not in keep]
    a_only = [c for c in a.labels if c not in b.labels]
    b_only = [c for c in b.labels if c not in a.labels]
    out_labels = batch + a_only + b_only
    out_shape = [size[c] for c in out_labels]
    if elem in FLOATS:
        dims = [_prod([size[c] for c in group]) for group in (batch, a_only, summed, b_only)]
        if None in dims:
            raise imp.fail(node, f"equation '{eq}': contracting needs static sizes "
                           f"(operand shapes {_dims(a.shape)} and {_dims(b.shape)})",
                           Unsupported)
        bt, m, k, n = dims
        va, sa = _transpose(imp, node, a.value, elem, a.shape,
                            [a.labels.index(c) for c in batch + a_only + summed])
        vb, sb = _transpose(imp, node, b.value, elem, b.shape,
                            [b.labels.index(c) for c in batch + summed + b_only])
        va = _reshape(imp, node, va, elem, sa, [bt, m, k])
        vb = _reshape(imp, node, vb, elem, sb, [bt, k, n])
        mm = _op(imp, node, "infer.matmul", [va, vb], elem, [bt, m, n])
        value = _reshape(imp, node, mm, elem, [bt, m, n], out_shape)
    else:
        # Integers: a broadcast product over all labels, summed.
        order = batch + a_only + b_only + summed
        full = [size[c] for c in order]

        def aligned(t):
            perm = [t.labels.index(c) for c in order if c in t.labels]
            v, s = _transpose(imp, node, t.value, elem, t.shape, perm)
            missing = [i for i, c in enumerate(order) if c not in t.labels]
            if not missing:
                return v
            shape = [size[c] if c in t.labels else 1 for c in order]
            return _op(imp, node, "infer.unsqueeze", [v], elem, shape,
                       f"axes = {array_attr(missing)}")
        value = _op(imp, node, "infer.mul", [aligned(a), aligned(b)], elem, full)
        if summed:
            value = _op(imp, node, "infer.reduce_sum", [value], elem, out_shape,
                        f"axes = {array_attr(list(range(len(out_labels), len(order))))}, "
                        "keepdims = false")
    return _Term(value, out_labels, out_shape)


@converter("Einsum", since=12)
def convert_einsum(imp, node):
    inputs = list(node.input)
    types = [imp.type_of(i, node) for i in inputs]
    elem = types[0][0]
    eq, labels, out = _parse_einsum(imp, node, [len(s) for _, s in types])
    terms = [_Term(_value(imp, node, i), ls, s) for i, ls, (_, s) in zip(inputs, labels, types)]
    for t in terms:
        _einsum_diagonal(imp, node, elem, t, eq)
    for k, t in enumerate(terms):
        others = {c for j, o in enumerate(terms) if j != k for c in o.labels}
        _einsum_sum(imp, node, elem, t, set(out) | others)
    acc = terms[0]
    for k in range(1, len(terms)):
        keep = set(out) | {c for o in terms[k + 1:] for c in o.labels}
        acc = _einsum_pair(imp, node, elem, acc, terms[k], keep, eq)
    _einsum_sum(imp, node, elem, acc, set(out))
    value, shape = _transpose(imp, node, acc.value, elem, acc.shape,
                              [acc.labels.index(c) for c in out])
    _bind(imp, node.output[0], value, elem, shape)


# ------------------------------------------------------------ GlobalMaxPool


@converter("GlobalMaxPool")
def convert_global_max_pool(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    out = shape[:2] + [1] * (len(shape) - 2)
    value = _op(imp, node, "infer.reduce_max", [_value(imp, node, node.input[0])], elem, out,
                f"axes = {array_attr(range(2, len(shape)))}, keepdims = true")
    _bind(imp, node.output[0], value, elem, out)


# ------------------------------------------------ DepthToSpace, SpaceToDepth


def _static_chw(imp, node, shape):
    if len(shape) != 4 or None in shape[1:]:
        raise imp.fail(node, "the input must be 4-D with static C, H and W", Unsupported)
    return shape[0], shape[1], shape[2], shape[3]


@converter("DepthToSpace")
def convert_depth_to_space(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    n, c, h, w = _static_chw(imp, node, shape)
    b = imp.attr(node, "blocksize")
    if c % (b * b):
        raise imp.fail(node, f"blocksize {b}: {b * b} does not divide the {c} channels")
    mode = imp.attr(node, "mode", b"DCR")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    x = _value(imp, node, node.input[0])
    if mode == "DCR":
        split, perm = [n, b, b, c // (b * b), h, w], [0, 3, 4, 1, 5, 2]
    elif mode == "CRD":
        split, perm = [n, c // (b * b), b, b, h, w], [0, 1, 4, 2, 5, 3]
    else:
        raise imp.fail(node, f"mode '{mode}' is not DCR or CRD")
    out = [n, c // (b * b), h * b, w * b]
    v = _op(imp, node, "infer.reshape", [x], elem, split,
            f"shape = {array_attr([0] + split[1:])}")
    v, s = _transpose(imp, node, v, elem, split, perm)
    v = _op(imp, node, "infer.reshape", [v], elem, out, f"shape = {array_attr([0] + out[1:])}")
    _bind(imp, node.output[0], v, elem, out)


@converter("SpaceToDepth")
def convert_space_to_depth(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    n, c, h, w = _static_chw(imp, node, shape)
    b = imp.attr(node, "blocksize")
    if h % b or w % b:
        raise imp.fail(node, f"blocksize {b} does not divide the spatial sizes {h}x{w}")
    split = [n, c, h // b, b, w // b, b]
    out = [n, c * b * b, h // b, w // b]
    x = _value(imp, node, node.input[0])
    v = _op(imp, node, "infer.reshape", [x], elem, split,
            f"shape = {array_attr([0] + split[1:])}")
    v, s = _transpose(imp, node, v, elem, split, [0, 3, 5, 1, 2, 4])
    v = _op(imp, node, "infer.reshape", [v], elem, out, f"shape = {array_attr([0] + out[1:])}")
    _bind(imp, node.output[0], v, elem, out)


# ---------------------------------------------------- InstanceNormalization


@converter("InstanceNormalization", since=6)
def convert_instance_norm(imp, node):
    """scale * (x - mean) / sqrt(var + epsilon) + B, the statistics of each
    sample and channel over the spatial axes."""
    elem, shape = imp.type_of(node.input[0], node)
    if elem not in FLOATS or len(shape) < 3:
        raise imp.fail(node, "the input must be a float tensor [N, C, spatial...]")
    axes = list(range(2, len(shape)))
    stat = shape[:2] + [1] * len(axes)
    reduce = f"axes = {array_attr(axes)}, keepdims = true"
    x = _value(imp, node, node.input[0])
    mean = _op(imp, node, "infer.reduce_mean", [x], elem, stat, reduce)
    d = _op(imp, node, "infer.sub", [x, mean], elem, shape)
    var = _op(imp, node, "infer.reduce_mean",
              [_op(imp, node, "infer.mul", [d, d], elem, shape)], elem, stat, reduce)
    eps = _const(imp, node, np.array(imp.attr(node, "epsilon", 1e-5), NP_DTYPES[elem]))
    std = _op(imp, node, "infer.sqrt", [_op(imp, node, "infer.add", [var, eps], elem, stat)],
              elem, stat, unary=True)
    norm = _op(imp, node, "infer.div", [d, std], elem, shape)
    per_channel = [shape[1]] + [1] * len(axes)

    def channel(i):
        name = node.input[i]
        c = imp.consts.get(name)
        if c is not None:
            return _const(imp, node, np.asarray(c).reshape(per_channel))
        return _op(imp, node, "infer.unsqueeze", [_value(imp, node, name)], elem,
                   per_channel, f"axes = {array_attr(range(1, len(per_channel)))}")
    y = _op(imp, node, "infer.mul", [norm, channel(1)], elem, shape)
    y = _op(imp, node, "infer.add", [y, channel(2)], elem, shape)
    _bind(imp, node.output[0], y, elem, shape)


# ----------------------------------------------------------------- Compress


@converter("Compress", since=9)
def convert_compress(imp, node):
    elem, shape = imp.type_of(node.input[0], node)
    cond = imp.const_input(node, 1, "condition").reshape(-1).astype(bool)
    axis = imp.attr(node, "axis")
    x = _value(imp, node, node.input[0])
    if axis is None:
        flat = [_prod(shape)]
        x = _reshape(imp, node, x, elem, shape, flat)
        shape, axis = flat, 0
    axis = _norm_axis(imp, node, axis, len(shape))
    if shape[axis] is not None:
        cond = cond[:shape[axis]]
    picked = np.nonzero(cond)[0].astype(np.int64)
    out = list(shape)
    out[axis] = len(picked)
    value = _op(imp, node, "infer.gather", [x, _const(imp, node, picked)], elem, out,
                f"axis = {axis} : i64")
    _bind(imp, node.output[0], value, elem, out)


# -------------------------------------------------------------------- PRelu


@converter("PRelu")
def convert_prelu_1(imp, node):
    """PRelu-1 and -6: a 1-D slope of C values is per channel."""
    emit_prelu(imp, node, per_channel_1d=True)


@converter("PRelu", since=7)
def convert_prelu(imp, node):
    """PRelu-7 on: the slope broadcasts to x by numpy's rules."""
    emit_prelu(imp, node, per_channel_1d=False)


def emit_prelu(imp, node, per_channel_1d):
    """where(x < 0, x * slope, x)."""
    elem, shape = imp.type_of(node.input[0], node)
    selem, sshape = imp.type_of(node.input[1], node)
    x = _value(imp, node, node.input[0])
    slope = _value(imp, node, node.input[1])
    if per_channel_1d and len(sshape) == 1 and len(shape) > 2 and sshape[0] != 1 and \
            sshape[0] == shape[1]:
        per_channel = [sshape[0]] + [1] * (len(shape) - 2)
        slope = _op(imp, node, "infer.unsqueeze", [slope], selem, per_channel,
                    f"axes = {array_attr(range(1, len(per_channel)))}")
    zero = _const(imp, node, np.zeros((), NP_DTYPES[elem]))
    neg = _op(imp, node, "infer.less", [x, zero], "i1", shape)
    scaled = _op(imp, node, "infer.mul", [x, slope], elem, shape)
    _bind(imp, node.output[0], _op(imp, node, "infer.where", [neg, scaled, x], elem, shape),
          elem, shape)


# --------------------------------------------------------------------- TopK


@converter("TopK")
def convert_top_k_1(imp, node):
    """TopK-1: k is an attribute."""
    emit_top_k(imp, node, imp.attr(node, "k"))


@converter("TopK", since=10)
def convert_top_k(imp, node):
    """TopK-10 on: K is input 1, a constant here."""
    emit_top_k(imp, node, int(imp.const_input(node, 1, "K").reshape(-1)[0]))


def emit_top_k(imp, node, k):
    """Each element's rank along the axis is the number of elements that
    come before it (greater, or equal at a lower index; smaller with
    largest = 0); the k first ranks are picked by equality, their values
    gathered. The comparison is n x n per row: fine for the short axes of
    TopK in post-processing. The result is always sorted."""
    elem, shape = imp.type_of(node.input[0], node)
    rank = len(shape)
    axis = _norm_axis(imp, node, imp.attr(node, "axis", -1), rank)
    n = shape[axis]
    if n is None:
        raise imp.fail(node, "the size of the axis must be static", Unsupported)
    if not 0 <= k <= n:
        raise imp.fail(node, f"K = {k} is outside [0, {n}]")
    largest = imp.attr(node, "largest", 1)
    perm = [d for d in range(rank) if d != axis] + [axis]
    back = [perm.index(d) for d in range(rank)]
    xt, tshape = _transpose(imp, node, _value(imp, node, node.input[0]), elem, shape, perm)
    lead = tshape[:-1]
    xi = _op(imp, node, "infer.unsqueeze", [xt], elem, lead + [n, 1],
             f"axes = {array_attr([rank])}")
    xj = _op(imp, node, "infer.unsqueeze", [xt], elem, lead + [1, n],
             f"axes = {array_attr([rank - 1])}")
    pair = lead + [n, n]
    better = _op(imp, node, "infer.greater" if largest else "infer.less", [xj, xi], "i1", pair)
    tie = _op(imp, node, "infer.equal", [xj, xi], "i1", pair)
    earlier = _const(imp, node, np.tri(n, n, -1, dtype=np.bool_))  # [i, j]: j < i
    before = _op(imp, node, "infer.or",
                 [better, _op(imp, node, "infer.and", [tie, earlier], "i1", pair)], "i1", pair)
    ranks = _op(imp, node, "infer.reduce_sum",
                [_op(imp, node, "infer.cast", [before], "i64", pair)], "i64", lead + [n],
                f"axes = {array_attr([rank])}, keepdims = false")
    ranks = _op(imp, node, "infer.unsqueeze", [ranks], "i64", lead + [1, n],
                f"axes = {array_attr([rank - 1])}")
    wanted = _const(imp, node, np.arange(k, dtype=np.int64).reshape(k, 1))
    picked = _op(imp, node, "infer.equal", [ranks, wanted], "i1", lead + [k, n])
    picked = _op(imp, node, "infer.cast", [picked], "i32", lead + [k, n])
    indices = _op(imp, node, "infer.arg_max", [picked], "i64", lead + [k],
                  f"axis = {rank} : i64, keepdims = false")
    values = _op(imp, node, "infer.gather_elements", [xt, indices], elem, lead + [k],
                 f"axis = {rank - 1} : i64")
    out = list(shape)
    out[axis] = k
    values, _ = _transpose(imp, node, values, elem, lead + [k], back)
    indices, _ = _transpose(imp, node, indices, "i64", lead + [k], back)
    _bind(imp, node.output[0], values, elem, out)
    if len(node.output) > 1 and node.output[1]:
        _bind(imp, node.output[1], indices, "i64", out)


# ---------------------------------------------------------- ReverseSequence


@converter("ReverseSequence", since=10)
def convert_reverse_sequence(imp, node):
    """A gather_elements along the time axis with constant indices: the
    first sequence_lens[b] steps of batch b reversed, the rest in place."""
    elem, shape = imp.type_of(node.input[0], node)
    if None in shape:
        raise imp.fail(node, "the input must have static sizes", Unsupported)
    lens = imp.const_input(node, 1, "sequence_lens").reshape(-1).astype(np.int64)
    batch_axis, time_axis = imp.attr(node, "batch_axis", 1), imp.attr(node, "time_axis", 0)
    steps = np.arange(shape[time_axis], dtype=np.int64)
    view = [1] * len(shape)
    view[time_axis] = shape[time_axis]
    steps = steps.reshape(view)
    view = [1] * len(shape)
    view[batch_axis] = shape[batch_axis]
    lens = lens.reshape(view)
    index = np.broadcast_to(np.where(steps < lens, lens - 1 - steps, steps), shape)
    value = _op(imp, node, "infer.gather_elements",
                [_value(imp, node, node.input[0]), _const(imp, node, np.ascontiguousarray(index))],
                elem, shape, f"axis = {time_axis} : i64")
    _bind(imp, node.output[0], value, elem, shape)


# ---------------------------------------------------------------- MaxUnpool


@converter("MaxUnpool", since=9)
def convert_max_unpool(imp, node):
    """Zeros with X's values scattered to the indices of I (flat indices
    into the unpooled shape, as MaxPool gives them), padded with zeros at
    the end of each axis to output_shape if that is given."""
    elem, shape = imp.type_of(node.input[0], node)
    if None in shape:
        raise imp.fail(node, "the input must have static sizes", Unsupported)
    kernel = list(imp.attr(node, "kernel_shape"))
    spatial = len(kernel)
    strides = list(imp.attr(node, "strides", [1] * spatial))
    pads = list(imp.attr(node, "pads", [0] * (2 * spatial)))
    inferred = shape[:2] + [(size - 1) * s + k - pads[i] - pads[spatial + i]
                            for i, (size, k, s) in enumerate(zip(shape[2:], kernel, strides))]
    out_shape = imp.const_input(node, 2, "output_shape")
    out = inferred if out_shape is None else [int(d) for d in out_shape.reshape(-1)]
    if len(out) != len(inferred) or any(o < i for o, i in zip(out, inferred)):
        raise imp.fail(node, f"output_shape {out} is smaller than the unpooled shape "
                       f"{inferred}", Unsupported)
    total = int(np.prod(inferred, dtype=np.int64))
    count = int(np.prod(shape, dtype=np.int64))
    zeros = _const(imp, node, np.broadcast_to(np.zeros((), NP_DTYPES[elem]), [total]))
    data = _reshape(imp, node, _value(imp, node, node.input[0]), elem, shape, [count])
    ielem, ishape = imp.type_of(node.input[1], node)
    index = _reshape(imp, node, _value(imp, node, node.input[1]), ielem, ishape, [count])
    flat = _op(imp, node, "infer.scatter_elements", [zeros, index, data], elem, [total],
               'axis = 0 : i64, reduction = "none"')
    y = _reshape(imp, node, flat, elem, [total], inferred)
    if out != inferred:
        grow = [o - i for o, i in zip(out, inferred)]
        y = _op(imp, node, "infer.pad", [y], elem, out,
                f'pads = {array_attr([0] * len(out) + grow)}, mode = "constant", '
                "value = 0.0 : f32")
    _bind(imp, node.output[0], y, elem, out)


# ------------------------------------------------ evaluated at import time


def _graph_input_behind(imp, name):
    """The first graph input (not a constant) that `name` is computed from;
    `name` itself if it is one or none is found."""
    producers = {o: n for n in imp.graph.node for o in n.output if o}
    inputs = {i.name for i in imp.graph.input}
    seen, todo = set(), [name]
    while todo:
        v = todo.pop(0)
        if v in seen:
            continue
        seen.add(v)
        if v in inputs and v not in imp.consts:
            return v
        if v in producers:
            todo.extend(i for i in producers[v].input if i and i not in imp.consts)
    return name


@converter("Range", "HannWindow", "HammingWindow", "BlackmanWindow", "MelWeightMatrix")
def convert_constant_op(imp, node):
    """Ops whose inputs are sizes, evaluated at import time with ONNX's
    reference implementation (the function bodies of Range and the windows
    need a Loop or a Range on a run-time value). A computed operand must be
    constant: the error names the graph input it comes from, which --bind
    can fix."""
    inputs = []
    for i, name in enumerate(node.input):
        if not name:
            continue
        if name not in imp.consts:
            source = _graph_input_behind(imp, name)
            via = "" if source == name else f" (it is computed from graph input '{source}')"
            raise NeedsConstant(str(imp.fail(
                node, f"input {i} '{name}' must be a constant{via}")), source)
        inputs.append(np.asarray(imp.consts[name]))
    try:
        value = fold_numpy(imp, node, inputs)
    except ImportError_:
        raise
    except Exception as e:  # noqa: BLE001 - report the node
        raise imp.fail(node, f"cannot evaluate on constants: {e}") from e
    imp.consts[node.output[0]] = np.asarray(value)


# ---------------------------------------------------------------------- Det


DET_LEIBNIZ_MAX = 4


def _det_leibniz(imp, node, x, elem, lead, n):
    """The Leibniz formula over the n! permutations: each term a product of
    single-element slices [..., i:i+1, p(i):p(i)+1]. Result [..., 1, 1]."""
    rank = len(lead) + 2
    one = lead + [1, 1]
    entry = {}
    for i in range(n):
        for j in range(n):
            entry[i, j] = _op(imp, node, "infer.slice", [x], elem, one,
                              f"starts = {array_attr([i, j])}, "
                              f"ends = {array_attr([i + 1, j + 1])}, "
                              f"axes = {array_attr([rank - 2, rank - 1])}")
    total = None
    for perm in itertools.permutations(range(n)):
        term = entry[0, perm[0]]
        for i in range(1, n):
            term = _op(imp, node, "infer.mul", [term, entry[i, perm[i]]], elem, one)
        inversions = sum(perm[a] > perm[b] for a in range(n) for b in range(a + 1, n))
        if total is None:
            total = term if inversions % 2 == 0 else \
                _op(imp, node, "infer.neg", [term], elem, one, unary=True)
        else:
            total = _op(imp, node, "infer.sub" if inversions % 2 else "infer.add",
                        [total, term], elem, one)
    return total


def _det_elimination(imp, node, x, elem, lead, n):
    """Gaussian elimination with partial pivoting (as LAPACK's getrf, which
    numpy's det uses), unrolled over the n columns: at step k the pivot is
    the first row of largest magnitude in the remaining column, swapped
    with the first row (negating the pivot unless it is the first row),
    and the rows below lose their multiple of it. A zero pivot (the column
    is all zero: the matrix is singular) makes the determinant 0; it is
    replaced by 1 in the division so that nothing becomes NaN.
    Result [..., 1, 1]."""
    rank = len(lead) + 2
    rows_axis, cols_axis = rank - 2, rank - 1
    zero = _const(imp, node, np.zeros((), NP_DTYPES[elem]))
    unit = _const(imp, node, np.ones((), NP_DTYPES[elem]))
    zero_index = _const(imp, node, np.zeros((), np.int64))
    one = lead + [1, 1]

    def cut(value, value_elem, shape, axis, start, end):
        out = list(shape)
        out[axis] = end - start
        return _op(imp, node, "infer.slice", [value], value_elem, out,
                   f"starts = {array_attr([start])}, ends = {array_attr([end])}, "
                   f"axes = {array_attr([axis])}"), out

    det, s = None, x
    for m in range(n, 1, -1):
        square, row = lead + [m, m], lead + [1, m]
        column, col_shape = cut(s, elem, square, cols_axis, 0, 1)        # [..., m, 1]
        magnitude = _op(imp, node, "infer.abs", [column], elem, col_shape, unary=True)
        p = _op(imp, node, "infer.arg_max", [magnitude], "i64", one,
                f"axis = {rows_axis} : i64, keepdims = true")            # [..., 1, 1]
        rows = _const(imp, node, np.arange(m, dtype=np.int64).reshape(m, 1))
        is_p = _op(imp, node, "infer.equal", [p, rows], "i1", col_shape)
        pivot_row = _op(imp, node, "infer.reduce_sum",
                        [_op(imp, node, "infer.where", [is_p, s, zero], elem, square)],
                        elem, row, f"axes = {array_attr([rows_axis])}, keepdims = true")
        first_row, _ = cut(s, elem, square, rows_axis, 0, 1)             # [..., 1, m]
        below, below_shape = cut(s, elem, square, rows_axis, 1, m)       # [..., m-1, m]
        is_p_below, _ = cut(is_p, "i1", col_shape, rows_axis, 1, m)
        # The first row takes the place of row p (when p is below it).
        below = _op(imp, node, "infer.where", [is_p_below, first_row, below], elem,
                    below_shape)
        pivot, _ = cut(pivot_row, elem, row, cols_axis, 0, 1)           # [..., 1, 1]
        kept = _op(imp, node, "infer.equal", [p, zero_index], "i1", one)
        negated = _op(imp, node, "infer.neg", [pivot], elem, one, unary=True)
        signed = _op(imp, node, "infer.where", [kept, pivot, negated], elem, one)
        det = signed if det is None else _op(imp, node, "infer.mul", [det, signed], elem, one)
        singular = _op(imp, node, "infer.equal", [pivot, zero], "i1", one)
        safe = _op(imp, node, "infer.where", [singular, unit, pivot], elem, one)
        first_col, first_col_shape = cut(below, elem, below_shape, cols_axis, 0, 1)
        factors = _op(imp, node, "infer.div", [first_col, safe], elem, first_col_shape)
        tail_row, _ = cut(pivot_row, elem, row, cols_axis, 1, m)         # [..., 1, m-1]
        tail, tail_shape = cut(below, elem, below_shape, cols_axis, 1, m)  # [..., m-1, m-1]
        s = _op(imp, node, "infer.sub",
                [tail, _op(imp, node, "infer.mul", [factors, tail_row], elem, tail_shape)],
                elem, tail_shape)
    return s if det is None else _op(imp, node, "infer.mul", [det, s], elem, one)


@converter("Det", since=11)
def convert_det(imp, node):
    """det over the last two axes of [..., n, n] (static n): the Leibniz
    formula for n <= 4, Gaussian elimination with partial pivoting above."""
    elem, shape = imp.type_of(node.input[0], node)
    if len(shape) < 2 or shape[-1] is None or shape[-2] is None or shape[-1] != shape[-2]:
        raise imp.fail(node, f"input of shape {_dims(shape)} is not [..., n, n] with a "
                       "static n", Unsupported)
    n = shape[-1]
    if elem not in FLOATS or (not 0 < n <= DET_LEIBNIZ_MAX and elem not in NP_DTYPES):
        raise imp.fail(node, f"element type {elem} is not supported", Unsupported)
    lead = list(shape[:-2])
    rank = len(shape)
    x = _value(imp, node, node.input[0])
    if n == 0:  # the empty product
        if None in lead:
            raise imp.fail(node, f"0x0 matrices of dynamic batch shape {_dims(shape)}",
                           Unsupported)
        imp.consts[node.output[0]] = np.ones(lead, NP_DTYPES[elem])
        return
    det = (_det_leibniz if n <= DET_LEIBNIZ_MAX else _det_elimination)(
        imp, node, x, elem, lead, n)
    out = _op(imp, node, "infer.squeeze", [det], elem, lead,
              f"axes = {array_attr([rank - 2, rank - 1])}")
    _bind(imp, node.output[0], out, elem, lead)
