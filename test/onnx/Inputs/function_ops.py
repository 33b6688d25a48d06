#!/usr/bin/env python3
"""ONNX function expansion and the importer's decompositions against
onnxruntime.

    function_ops.py WORK_DIR

Writes the models that functions.test checks as MLIR to WORK_DIR
(softsign.onnx, celu.onnx, reduce_l1.onnx, if_functions.onnx,
einsum_dynamic.onnx, det_dynamic.onnx, bernoulli.onnx), then imports,
compiles (infer-run) and runs one small model per case and compares every
output with onnxruntime's:
- float outputs within rtol 1e-4, atol 1e-5 (f64: rtol 1e-9, atol 1e-12);
- integer and boolean outputs (TopK's indices, OneHot of ints) exactly;
- MaxUnpool with output_shape against ONNX's reference implementation
  (onnxruntime reads the indices differently there).
Function ops (Elu at opset 6 and 18, Selu, Celu, Softsign, Softplus,
ThresholdedRelu, Shrink, Mish, ReduceL1/L2/LogSum/LogSumExp/SumSquare at
opsets 13 and 18, MeanVarianceNormalization, SoftmaxCrossEntropyLoss,
NegativeLogLikelihoodLoss, CastLike, GroupNormalization, CenterCropPad) and
decompositions (Split, Tile, OneHot, Hardmax, Einsum, EyeLike,
GlobalMaxPool, TopK, InstanceNormalization, Compress, ReverseSequence,
MaxUnpool, PRelu, DepthToSpace, SpaceToDepth, Det, windows; Det in float64,
which onnxruntime lacks, against ONNX's reference) and QuantizeLinear /
DequantizeLinear with parameters computed at run time. Each case prints
PASS/FAIL; the last line counts the failures.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

import harness
from harness import input_args, onnxruntime_outputs, report, run_infer
from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(12)
ONNX_TYPES = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE,
              np.dtype(np.int64): TensorProto.INT64, np.dtype(np.int32): TensorProto.INT32,
              np.dtype(np.bool_): TensorProto.BOOL}


def model_of(nodes, inputs, outputs, inits=None, opset=13):
    """inputs: name -> example array (or a dims list with None for a
    dynamic float input); outputs: names (types left to inference)."""
    def info(name, a):
        if isinstance(a, list):
            return helper.make_tensor_value_info(name, TensorProto.FLOAT, a)
        return helper.make_tensor_value_info(name, ONNX_TYPES[a.dtype], a.shape)
    graph = helper.make_graph(
        nodes, "g", [info(n, a) for n, a in inputs.items()],
        [onnx.ValueInfoProto(name=n) for n in outputs],
        [numpy_helper.from_array(np.asarray(a), n) for n, a in (inits or {}).items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    # The outputs' types, as ONNX infers them.
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {vi.name: vi.type for vi in list(inferred.graph.value_info) +
             list(inferred.graph.output) if vi.type.tensor_type.elem_type}
    for out in model.graph.output:
        # (ONNX infers nothing for some function ops: those have the first
        # input's type.)
        out.type.CopyFrom(types[out.name] if out.name in types else graph.input[0].type)
    return model


def run_ours(tag, model, feeds):
    base = os.path.join(work, tag)
    with open(base + ".mlir", "w") as f:
        f.write(import_model(model))
    return run_infer(base + ".mlir", base, input_args(base, feeds), len(model.graph.output))


def check(tag, model, feeds, reference=False):
    """Our outputs against onnxruntime's (with `reference`, against ONNX's
    reference implementation)."""
    try:
        if reference:
            expected = ReferenceEvaluator(model).run(None, feeds)
        else:
            expected = onnxruntime_outputs(model, feeds)
        ours = run_ours(tag, model, feeds)
    except Exception as e:  # noqa: BLE001 - reported as a failure
        ours = f"{type(e).__name__}: {e}"
    if isinstance(ours, str):
        report(tag, False, ' '.join(ours.split()))
        return
    worst, ok = 0.0, True
    for o, e in zip(ours, expected):
        e = np.asarray(e)
        if o.shape != e.shape or o.dtype != e.dtype:
            report(tag, False,
                   f"{o.dtype}{list(o.shape)} vs onnxruntime's {e.dtype}{list(e.shape)}")
            return
        if e.dtype.kind == "f":
            rtol, atol = (1e-9, 1e-12) if e.dtype == np.float64 else (1e-4, 1e-5)
            if not np.allclose(o, e, rtol=rtol, atol=atol):
                ok = False
            if o.size:
                worst = max(worst, float(np.max(np.abs(o.astype(np.float64) - e))))
        elif not np.array_equal(o, e):
            ok = False
    report(tag, ok, "" if ok else f"max |diff| {worst:.3g}")


def unary(tag, op, x, opset, **attrs):
    node = helper.make_node(op, ["x"], ["y"], name=op.lower(), **attrs)
    check(tag, model_of([node], {"x": x}, ["y"], opset=opset), {"x": x})


def f32(*shape):
    return r.standard_normal(shape).astype(np.float32)


# ------------------------------------------------ models checked as MLIR
def save(name, model):
    onnx.save(model, os.path.join(work, name))


save("softsign.onnx", model_of([helper.make_node("Softsign", ["x"], ["y"], name="ss")],
                               {"x": f32(2, 3)}, ["y"], opset=18))
save("celu.onnx", model_of([helper.make_node("Celu", ["x"], ["y"], name="celu", alpha=2.0)],
                           {"x": f32(2, 3)}, ["y"], opset=12))
save("reduce_l1.onnx", model_of([helper.make_node("ReduceL1", ["x"], ["y"], name="l1",
                                                  axes=[1], keepdims=0)],
                                {"x": f32(2, 3)}, ["y"], opset=13))
save("einsum_dynamic.onnx", model_of(
    [helper.make_node("Einsum", ["a", "b"], ["y"], name="ein", equation="bij,bjk->bik")],
    {"a": [None, 2, 3], "b": [None, 3, 4]}, ["y"], opset=12))
save("det_dynamic.onnx", model_of([helper.make_node("Det", ["x"], ["y"], name="det")],
                                  {"x": [2, None, None]}, ["y"], opset=11))
save("bernoulli.onnx", model_of([helper.make_node("Bernoulli", ["x"], ["y"], name="bern")],
                                {"x": f32(2, 3)}, ["y"], opset=15))

# Function ops in the branches of an If: expanded there too.
branches = {}
for branch, op in (("then_branch", "Softsign"), ("else_branch", "Elu")):
    out = f"{op.lower()}_out"
    branches[branch] = helper.make_graph(
        [helper.make_node(op, ["x"], [out], name=f"{op.lower()}_in_{branch[:4]}")], branch, [],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, [2, 3])])
if_model = model_of([helper.make_node("If", ["c"], ["y"], name="if", **branches)],
                    {"x": f32(2, 3), "c": np.array(True)}, ["y"], opset=18)
save("if_functions.onnx", if_model)

# ------------------------------------------------------- function ops
for c in (True, False):
    check(f"if_branch_functions_{str(c).lower()}", if_model, {"x": f32(2, 3), "c": np.array(c)})
x = f32(3, 4, 5)
unary("elu_opset6", "Elu", x, 6, alpha=0.5)
unary("elu_opset18", "Elu", x, 18)
unary("selu_opset6", "Selu", x, 6, alpha=1.5, gamma=2.0)
unary("celu_opset12", "Celu", x, 12, alpha=2.0)
unary("softsign_opset1", "Softsign", x, 1)
unary("softplus_opset18", "Softplus", x, 18)
unary("thresholded_relu_opset10", "ThresholdedRelu", x, 10, alpha=0.3)
unary("shrink_opset9", "Shrink", x, 9, lambd=0.5, bias=0.2)
unary("mish_opset18", "Mish", x, 18)
unary("mvn_opset13", "MeanVarianceNormalization", f32(2, 3, 4, 5), 13)
unary("mvn_axes_opset18", "MeanVarianceNormalization", f32(2, 3, 4, 5), 18, axes=[1, 3])
for op in ("ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"):
    pos = np.abs(x) + 0.1 if op == "ReduceLogSum" else x
    unary(f"{op.lower()}_opset13", op, pos, 13, axes=[-1], keepdims=1)
    node = helper.make_node(op, ["x", "axes"], ["y"], name="red", keepdims=0)
    check(f"{op.lower()}_opset18", model_of([node], {"x": pos}, ["y"],
                                            {"axes": np.array([0, 2], np.int64)}, 18), {"x": pos})
scores, labels = f32(4, 5, 3), np.array([[0, 1, 4], [2, 2, 3], [1, 0, 0], [4, 3, 2]], np.int64)
weights = (np.abs(f32(5)) + 0.5).astype(np.float32)
for reduction in ("mean", "sum", "none"):
    node = helper.make_node("SoftmaxCrossEntropyLoss", ["s", "l", "w"], ["y", "logp"], name="sce",
                            reduction=reduction, ignore_index=2)
    check(f"sce_{reduction}_weights_ignore_index", model_of(
        [node], {"s": scores, "l": labels}, ["y", "logp"], {"w": weights}), {"s": scores, "l": labels})
node = helper.make_node("NegativeLogLikelihoodLoss", ["s", "l"], ["y"], name="nll")
check("nll_mean", model_of([node], {"s": scores, "l": labels}, ["y"]), {"s": scores, "l": labels})
node = helper.make_node("CastLike", ["x", "like"], ["y"], name="cl")
check("castlike_f32_to_f64", model_of([node], {"x": x}, ["y"],
                                      {"like": np.zeros((1,), np.float64)}, 15), {"x": x})
g = f32(2, 6, 3, 3)
node = helper.make_node("GroupNormalization", ["x", "s", "b"], ["y"], name="gn", num_groups=3)
check("group_norm_opset21", model_of([node], {"x": g}, ["y"],
                                     {"s": f32(6), "b": f32(6)}, 21), {"x": g})
node = helper.make_node("CenterCropPad", ["x", "shape"], ["y"], name="ccp", axes=[1, 2])
check("center_crop_pad_opset18", model_of([node], {"x": x}, ["y"],
                                          {"shape": np.array([6, 3], np.int64)}, 18), {"x": x})
node = helper.make_node("HannWindow", ["n"], ["y"], name="hann", periodic=0)
check("hann_window_constant_size", model_of([node], {}, ["y"],
                                            {"n": np.array(10, np.int64)}, 17), {})

# ------------------------------------------------------ decompositions
v = f32(6, 7)
for tag, opset, node, inits in [
        ("split_attr_opset11", 11, helper.make_node("Split", ["x"], ["a", "b"], name="sp",
                                                    axis=1, split=[3, 4]), {}),
        ("split_equal_opset11", 11, helper.make_node("Split", ["x"], ["a", "b", "c"], name="sp"), {}),
        ("split_input_opset13", 13, helper.make_node("Split", ["x", "s"], ["a", "b", "c"],
                                                     name="sp", axis=-1), {"s": np.array([1, 4, 2])}),
        ("split_num_outputs_uneven_opset18", 18, helper.make_node(
            "Split", ["x"], ["a", "b", "c"], name="sp", axis=1, num_outputs=3), {})]:
    check(tag, model_of([node], {"x": v}, list(node.output), inits, opset), {"x": v})
for tag, reps in [("tile_2d", [2, 3]), ("tile_one_axis", [1, 3]), ("tile_identity", [1, 1])]:
    node = helper.make_node("Tile", ["x", "r"], ["y"], name="tile")
    check(tag, model_of([node], {"x": v}, ["y"], {"r": np.array(reps, np.int64)}), {"x": v})
idx = np.array([[1, -1, 0], [2, 3, -4]], np.int64)
for axis in (-1, 0, 1):
    node = helper.make_node("OneHot", ["i", "d", "v"], ["y"], name="oh", axis=axis)
    check(f"onehot_axis{axis}", model_of([node], {"i": idx}, ["y"],
                                         {"d": np.array(4, np.int64),
                                          "v": np.array([-2.0, 5.0], np.float32)}, 11), {"i": idx})
node = helper.make_node("OneHot", ["i", "d", "v"], ["y"], name="oh")
vals = np.array([0.5, 7.0], np.float32)
check("onehot_runtime_values", model_of(
    [node], {"i": idx, "v": vals}, ["y"], {"d": np.array(5, np.int64)}, 11), {"i": idx, "v": vals})
h = np.round(f32(2, 3, 4) * 2) / 2  # ties: the first maximum wins
for tag, opset, axis in [("hardmax_opset11_axis1_2d_coercion", 11, 1),
                         ("hardmax_opset13_axis0", 13, 0), ("hardmax_opset13_default", 13, None)]:
    attrs = {} if axis is None else {"axis": axis}
    unary(tag, "Hardmax", h, opset, **attrs)
d = r.standard_normal((3, 4, 4))
e2 = r.standard_normal((4, 5))
for tag, eq, operands in [
        ("einsum_batch_matmul", "bij,bjk->bik", [r.standard_normal((2, 3, 4)), r.standard_normal((2, 4, 5))]),
        ("einsum_inner", "i,i", [r.standard_normal(5), r.standard_normal(5)]),
        ("einsum_outer", "i,j->ij", [r.standard_normal(3), r.standard_normal(4)]),
        ("einsum_transpose", "ij->ji", [e2]),
        ("einsum_sum", "ij->i", [e2]),
        ("einsum_diagonal", "ii->i", [d[0]]),
        ("einsum_batch_diagonal", "...ii->...i", [d]),
        ("einsum_trace", "ii", [d[0]]),
        ("einsum_three_operands", "ij,jk,kl->il", [r.standard_normal((2, 3)), r.standard_normal((3, 4)),
                                                   r.standard_normal((4, 2))]),
        ("einsum_ellipsis_broadcast", "...ij,...jk->...ik", [r.standard_normal((2, 1, 3, 4)),
                                                              r.standard_normal((1, 5, 4, 2))]),
        ("einsum_implicit_output", "ij,jk", [r.standard_normal((2, 3)), r.standard_normal((3, 4))]),
        ("einsum_int64", "ij,jk->ik", [r.integers(-5, 5, (2, 3)), r.integers(-5, 5, (3, 4))]),
        ("einsum_f32_summed_label", "ijk,jl->il", [f32(2, 3, 4), f32(3, 5)])]:
    names = [f"x{i}" for i in range(len(operands))]
    node = helper.make_node("Einsum", names, ["y"], name="ein", equation=eq)
    feeds = dict(zip(names, operands))
    check(tag, model_of([node], feeds, ["y"], opset=12), feeds)
for tag, attrs in [("eyelike", {}), ("eyelike_k_dtype", {"k": -1, "dtype": TensorProto.INT32})]:
    node = helper.make_node("EyeLike", ["x"], ["y"], name="eye", **attrs)
    check(tag, model_of([node], {"x": v}, ["y"]), {"x": v})
unary("global_max_pool", "GlobalMaxPool", f32(2, 3, 4, 5), 13)
t = np.round(f32(3, 6) * 2) / 2  # ties: the lower index first
for tag, attrs in [("topk_largest", {"axis": 1}), ("topk_smallest_axis0", {"axis": 0, "largest": 0})]:
    node = helper.make_node("TopK", ["x", "k"], ["v", "i"], name="topk", **attrs)
    check(tag, model_of([node], {"x": t}, ["v", "i"], {"k": np.array([2], np.int64)}, 11), {"x": t})
node = helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"], name="in", epsilon=1e-3)
check("instance_norm", model_of([node], {"x": g}, ["y"], {"s": f32(6), "b": f32(6)}), {"x": g})
for tag, attrs in [("compress_axis1", {"axis": 1}), ("compress_flat", {})]:
    node = helper.make_node("Compress", ["x", "c"], ["y"], name="cmp", **attrs)
    check(tag, model_of([node], {"x": v}, ["y"],
                        {"c": np.array([1, 0, 1, 1, 0, 0, 1], np.bool_)}, 11), {"x": v})
node = helper.make_node("ReverseSequence", ["x", "lens"], ["y"], name="rs", batch_axis=0,
                        time_axis=1)
check("reverse_sequence", model_of([node], {"x": v}, ["y"],
                                   {"lens": np.array([1, 2, 3, 7, 5, 0], np.int64)}, 10), {"x": v})
pool_in = f32(1, 2, 4, 4)
pool = helper.make_node("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 2], strides=[2, 2])
pooled, where = onnxruntime_outputs(model_of([pool], {"x": pool_in}, ["p", "i"], opset=11),
                                    {"x": pool_in})
unpool = helper.make_node("MaxUnpool", ["p", "i", "shape"], ["y"], name="unpool",
                          kernel_shape=[2, 2], strides=[2, 2])
# With output_shape, onnxruntime reads the indices in that shape; ONNX's
# reference (and the backend test's data) in the unpooled shape, padded.
check("maxunpool_output_shape_vs_reference", model_of(
    [unpool], {"p": pooled, "i": where}, ["y"], {"shape": np.array([1, 2, 5, 5], np.int64)}, 11),
    {"p": pooled, "i": where}, reference=True)
for tag, opset, slope in [("prelu_channel_opset16", 16, f32(3, 1, 1)),
                          ("prelu_scalar_opset9", 9, np.array([0.2], np.float32))]:
    node = helper.make_node("PRelu", ["x", "s"], ["y"], name="prelu")
    check(tag, model_of([node], {"x": g[:, :3]}, ["y"], {"s": slope}, opset), {"x": g[:, :3]})
for mode in ("DCR", "CRD"):
    unary(f"depth_to_space_{mode}", "DepthToSpace", f32(2, 8, 2, 3), 13, blocksize=2, mode=mode)
unary("space_to_depth", "SpaceToDepth", f32(2, 3, 4, 6), 13, blocksize=2)

# Det: the Leibniz formula up to 4x4, elimination with partial pivoting
# above (a zero leading entry forces a swap; a singular matrix gives 0).
swap = f32(6, 6)
swap[0, 0] = 0.0
singular = f32(2, 5, 5)
singular[:, 3] = singular[:, 1] * 2
for tag, x_det in [("det_2x2", f32(2, 2)), ("det_3x3", f32(3, 3)), ("det_4x4", f32(4, 4)),
                   ("det_batched_3x3", f32(2, 3, 3, 3)), ("det_batched_4x4", f32(5, 4, 4)),
                   ("det_5x5", f32(5, 5)), ("det_6x6_pivoting", swap),
                   ("det_batched_8x8", f32(3, 8, 8)), ("det_singular_5x5", singular)]:
    unary(tag, "Det", x_det, 11)
for tag, x_det in [("det_f64_3x3", r.standard_normal((4, 3, 3))),
                   ("det_f64_7x7", r.standard_normal((2, 7, 7)))]:
    node = helper.make_node("Det", ["x"], ["y"], name="det")
    check(tag, model_of([node], {"x": x_det}, ["y"], opset=11), {"x": x_det}, reference=True)
x_det = f32(3, 6, 6)
node = helper.make_node("Det", ["x"], ["y"], name="det")
check("det_dynamic_batch_6x6", model_of([node], {"x": [None, 6, 6]}, ["y"], opset=11),
      {"x": x_det})

# QuantizeLinear / DequantizeLinear whose scale or zero point is computed
# at run time (DynamicQuantizeLinear's function body): the arithmetic in
# f32, rounding half to even (x / scale lands on ties here), saturated to
# the integer type.
q_in = (r.integers(-8, 9, (3, 4)) * 0.25).astype(np.float32)
q_in[0, 0] = 2.0  # max |x| = 2: scale 0.5, x / scale on halves
amax = helper.make_node("ReduceMax", ["ax"], ["m"], keepdims=0, name="max")
absx = helper.make_node("Abs", ["x"], ["ax"], name="abs")
# (tag, divisor of max |x| giving the scale, nodes making a zero point,
# initializers, the zero point's name)
for tag, div, zp_nodes, zp_inits, out_zp in [
        ("quantize_runtime_scale_u8", 4.0, [], {"zp": np.array(128, np.uint8)}, "zp"),
        ("quantize_runtime_scale_u8_saturated", 400.0, [], {"zp": np.array(100, np.uint8)},
         "zp"),
        ("quantize_runtime_scale_no_zero_point", 4.0, [], {}, None),
        ("quantize_runtime_scale_zero_point_i8", 4.0,
         [helper.make_node("Mul", ["m", "minus3"], ["mz"], name="mz"),
          helper.make_node("Cast", ["mz"], ["zq"], to=TensorProto.INT8, name="zq")],
         {"minus3": np.array(-3.0, np.float32)}, "zq")]:
    nodes = [absx, amax, helper.make_node("Div", ["m", "div"], ["s"], name="scale")] + zp_nodes
    q_inputs = ["x", "s"] + ([out_zp] if out_zp else [])
    nodes += [helper.make_node("QuantizeLinear", q_inputs, ["q"], name="q"),
              helper.make_node("DequantizeLinear", ["q"] + q_inputs[1:], ["dq"], name="dq")]
    check(tag, model_of(nodes, {"x": q_in}, ["q", "dq"],
                        {"div": np.array(div, np.float32), **zp_inits}), {"x": q_in})
per_axis_in = f32(2, 3, 4)
nodes = [helper.make_node("Abs", ["x"], ["ax"], name="abs"),
         helper.make_node("ReduceMax", ["ax"], ["m"], axes=[0, 2], keepdims=0, name="max"),
         helper.make_node("Div", ["m", "k"], ["s"], name="scale"),
         helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"], axis=1, name="q"),
         helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["dq"], axis=1, name="dq")]
check("quantize_runtime_scale_per_axis", model_of(
    nodes, {"x": per_axis_in}, ["q", "dq"],
    {"k": np.array(127.0, np.float32), "zp": np.array([0, -3, 5], np.int8)}),
    {"x": per_axis_in})

print(f"function ops: {harness.failures} failed")
