#!/usr/bin/env python3
"""Integer ONNX ops and dynamic quantization against onnxruntime.

    integer_ops.py WORK_DIR

- MatMulInteger and ConvInteger (uint8/int8 operands, with and without zero
  points, constant and run-time operands, batched, 1-D and strided shapes):
  the int32 outputs must equal onnxruntime's bit for bit.
- DynamicQuantizeLinear: y_scale within float rounding (1e-6 relative),
  y_zero_point and y within one step; also all-positive, all-negative and
  all-zero inputs.
- uint8 graph inputs (to DequantizeLinear, QLinearMatMul, MatMulInteger)
  and uint8 graph outputs; infer-run exchanges uint8 as int8 bytes.
- onnxruntime's quantize_dynamic output of a Conv + MatMul model
  (DynamicQuantizeLinear -> ConvInteger / MatMulInteger -> Cast -> Mul):
  equal to onnxruntime's output within float rounding (1e-5 relative).
- Unsupported variants fail with the importer's error naming the node.
Each case prints PASS/FAIL.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

import harness
from harness import expect_import_error, input_args, onnxruntime_outputs, report, run_infer
from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(5)
NP_TO_ONNX = {np.dtype(np.uint8): TensorProto.UINT8, np.dtype(np.int8): TensorProto.INT8,
              np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int32): TensorProto.INT32}


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model_of(nodes, inputs, outputs, inits, opset=13):
    """inputs: name -> example array; outputs: (name, onnx type, shape)."""
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, NP_TO_ONNX[a.dtype], a.shape)
         for n, a in inputs.items()],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        [const(n, a) for n, a in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def run_ours(tag, model, feeds):
    """Our outputs (uint8 restored from infer-run's int8), or infer-run's
    error."""
    base = os.path.join(work, tag)
    with open(base + ".mlir", "w") as f:
        f.write(import_model(model))
    inputs = input_args(base, {name: value.view(np.int8) if value.dtype == np.uint8 else value
                               for name, value in feeds.items()})
    outs = run_infer(base + ".mlir", base, inputs, len(model.graph.output))
    if isinstance(outs, str):
        return outs
    return [value.view(np.uint8) if out.type.tensor_type.elem_type == TensorProto.UINT8
            else value for value, out in zip(outs, model.graph.output)]


def exact(tag, model, feeds, expected=None, steps=0):
    """Every output equal to onnxruntime's (or `expected`), dtype included;
    within `steps` for a model that computes in float in between."""
    expected = expected if expected is not None else onnxruntime_outputs(model, feeds)
    ours = run_ours(tag, model, feeds)
    if isinstance(ours, str):
        report(tag, False, f"infer-run: {ours}")
        return
    ok = all(o.shape == e.shape and o.dtype == e.dtype and
             np.max(np.abs(o.astype(np.int64) - e.astype(np.int64)), initial=0) <= steps
             for o, e in zip(ours, expected))
    if ok and steps:
        same = np.mean(np.concatenate([(o == e).reshape(-1) for o, e in zip(ours, expected)]))
        report(tag, ok, f"within {steps} step(s), {same:.0%} identical")
        return
    report(tag, ok, "bit-exact" if ok else
           f"differs: {[(o.dtype, o.shape) for o in ours]} vs "
           f"{[(e.dtype, e.shape) for e in expected]}, max |diff| "
           f"{max(float(np.max(np.abs(o.astype(np.int64) - e.astype(np.int64)), initial=0)) for o, e in zip(ours, expected) if o.shape == e.shape)}")


def u8(shape):
    return r.integers(0, 256, shape).astype(np.uint8)


def s8(shape):
    return r.integers(-128, 128, shape).astype(np.int8)


I32 = TensorProto.INT32

# --- MatMulInteger.
a, b = u8((2, 3, 5)), s8((5, 4))
exact("matmul_integer_u8_s8_zp", model_of(
    [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"], name="mmi")],
    {"a": a}, [("y", I32, [2, 3, 4])],
    {"b": b, "az": np.uint8(131), "bz": np.int8(-7)}), {"a": a})

a, b = s8((3, 7)), s8((7, 2))
exact("matmul_integer_s8_runtime_no_zp", model_of(
    [helper.make_node("MatMulInteger", ["a", "b"], ["y"], name="mmi")],
    {"a": a, "b": b}, [("y", I32, [3, 2])], {}), {"a": a, "b": b})

# Run-time uint8 scalar zero point (a graph input), per-column b zero points.
a, b, az = u8((4, 6)), u8((6, 3)), np.array(200, np.uint8)
exact("matmul_integer_u8_u8_runtime_zp_per_column", model_of(
    [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"], name="mmi")],
    {"a": a, "az": az}, [("y", I32, [4, 3])],
    {"b": b, "bz": np.array([0, 255, 77], np.uint8)}), {"a": a, "az": az})

# Per-row a zero points (onnxruntime takes a scalar only): against numpy.
a, b, az = u8((2, 3, 4)), s8((4, 5)), np.array([0, 90, 255], np.uint8)
exact("matmul_integer_per_row_a_zp", model_of(
    [helper.make_node("MatMulInteger", ["a", "b", "az"], ["y"], name="mmi")],
    {"a": a}, [("y", I32, [2, 3, 5])], {"b": b, "az": az}), {"a": a},
    [((a.astype(np.int32) - az.reshape(3, 1)) @ b.astype(np.int32)).astype(np.int32)])

# A vector times a matrix; sums far beyond 2^24 stay exact.
a, b = np.full(300, 255, np.uint8), np.full((300, 3), -128, np.int8)
b[7, 1] = 127
exact("matmul_integer_vector_large_sums", model_of(
    [helper.make_node("MatMulInteger", ["a", "b"], ["y"], name="mmi")],
    {"a": a}, [("y", I32, [3])], {"b": b}), {"a": a})

# --- ConvInteger.
x, w = u8((1, 3, 7, 9)), u8((4, 3, 3, 3))
exact("conv_integer_zp_pads_strides", model_of(
    [helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 1, 1, 1],
                      strides=[2, 2], name="convi")],
    {"x": x}, [("y", I32, [1, 4, 4, 5])],
    {"w": w, "xz": np.uint8(128), "wz": np.uint8(100)}), {"x": x})

x, w = u8((2, 4, 6, 5)), u8((6, 2, 2, 3))
exact("conv_integer_no_zp_grouped_dilated", model_of(
    [helper.make_node("ConvInteger", ["x", "w"], ["y"], group=2, dilations=[2, 1],
                      pads=[0, 1, 1, 1], name="convi")],
    {"x": x}, [("y", I32, [2, 6, 5, 5])], {"w": w}), {"x": x})

x, w = u8((1, 2, 11)), u8((3, 2, 4))
exact("conv_integer_1d_x_zp_only", model_of(
    [helper.make_node("ConvInteger", ["x", "w", "xz"], ["y"], auto_pad="SAME_UPPER",
                      name="convi")],
    {"x": x}, [("y", I32, [1, 3, 11])], {"w": w, "xz": np.uint8(3)}), {"x": x})

# Per-output-channel weight zero points: onnxruntime's ConvInteger takes one
# only, so the reference is a float Conv of the shifted values (exact here).
x, w, wz = u8((1, 2, 5, 5)), u8((3, 2, 3, 3)), np.array([1, 128, 250], np.uint8)
model = model_of(
    [helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 1, 1, 1],
                      name="convi")],
    {"x": x}, [("y", I32, [1, 3, 5, 5])], {"w": w, "xz": np.uint8(9), "wz": wz})
ref = model_of([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])],
               {"x": x.astype(np.float32)}, [("y", TensorProto.FLOAT, [1, 3, 5, 5])],
               {"w": (w.astype(np.float32) - wz.reshape(3, 1, 1, 1))})
expected = onnxruntime_outputs(ref, {"x": x.astype(np.float32) - 9})[0]
exact("conv_integer_per_channel_wz", model, {"x": x},
      [np.rint(expected).astype(np.int32)])


# --- DynamicQuantizeLinear.
def dynamic(tag, x):
    model = model_of(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"], name="dql")],
        {"x": x}, [("y", TensorProto.UINT8, list(x.shape)), ("s", TensorProto.FLOAT, []),
                   ("z", TensorProto.UINT8, [])], {}, opset=13)
    ey, es, ez = onnxruntime_outputs(model, {"x": x})
    ours = run_ours(tag, model, {"x": x})
    if isinstance(ours, str):
        report(tag, False, f"infer-run: {ours}")
        return
    y, s, z = ours
    steps = int(np.max(np.abs(y.astype(np.int64) - ey), initial=0))
    ok = (y.dtype == np.uint8 and y.shape == ey.shape and steps <= 1 and
          s.shape == () and abs(float(s) - float(es)) <= 1e-6 * abs(float(es)) and
          z.dtype == np.uint8 and abs(int(z) - int(ez)) <= 1)
    report(tag, ok, f"scale {float(s):.9g} vs {float(es):.9g}, zero point {int(z)} vs "
           f"{int(ez)}, y within {steps} step(s), "
           f"{float(np.mean(y == ey)):.0%} identical")


dynamic("dynamic_quantize", (r.standard_normal((2, 3, 5)) * 3).astype(np.float32))
dynamic("dynamic_quantize_positive", r.uniform(0.5, 4, (7,)).astype(np.float32))
dynamic("dynamic_quantize_negative", r.uniform(-9, -1, (3, 1, 4)).astype(np.float32))
dynamic("dynamic_quantize_zeros", np.zeros((2, 2), np.float32))
# Every value a tie of round(x / scale): 0.5 steps.
dynamic("dynamic_quantize_ties", np.array([-1, 2.5, 0.5, 1.5, 254.0, -0.5],
                                          np.float32) * np.float32(1 / 255 * 3.5))

# --- uint8 graph inputs and outputs.
x = u8((1, 2, 4, 4))
model = model_of(
    [helper.make_node("DequantizeLinear", ["x", "s", "z"], ["f"], name="dq"),
     helper.make_node("Conv", ["f", "w"], ["c"], name="conv"),
     helper.make_node("QuantizeLinear", ["c", "ys", "yz"], ["y"], name="q")],
    {"x": x}, [("y", TensorProto.UINT8, [1, 3, 2, 2])],
    {"s": np.float32(0.02), "z": np.uint8(120),
     "w": (r.standard_normal((3, 2, 3, 3)) * 0.3).astype(np.float32),
     "ys": np.float32(0.05), "yz": np.uint8(128)})
# The float Conv in between may round differently from onnxruntime's.
exact("uint8_input_dequantize_conv_uint8_output", model, {"x": x}, steps=1)

a = u8((3, 6))
model = model_of(
    [helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"],
                      ["y"], name="qmm")],
    {"a": a}, [("y", TensorProto.UINT8, [3, 2])],
    {"as": np.float32(0.01), "az": np.uint8(100), "b": s8((6, 2)),
     "bs": np.float32(0.02), "bz": np.int8(0), "ys": np.float32(0.2),
     "yz": np.uint8(128)})
exact("uint8_input_qlinearmatmul", model, {"a": a})

a = u8((2, 5))
model = model_of(
    [helper.make_node("Cast", ["a"], ["f"], to=TensorProto.FLOAT, name="cast"),
     helper.make_node("Cast", ["a"], ["i"], to=TensorProto.INT32, name="cast_i")],
    {"a": a}, [("f", TensorProto.FLOAT, [2, 5]), ("i", I32, [2, 5])], {})
exact("uint8_input_cast", model, {"a": a})

# --- Dynamic quantization as onnxruntime's quantize_dynamic writes it.
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("Flatten", ["r1"], ["f"], name="flatten"),
    helper.make_node("MatMul", ["f", "w2"], ["m"], name="fc"),
    helper.make_node("Add", ["m", "b2"], ["y"], name="bias"),
]
fp32 = model_of(nodes, {"x": np.zeros((1, 2, 6, 6), np.float32)},
                [("y", TensorProto.FLOAT, [1, 10])],
                {"w1": (r.standard_normal((4, 2, 3, 3)) * 0.4).astype(np.float32),
                 "b1": (r.standard_normal(4) * 0.1).astype(np.float32),
                 "w2": (r.standard_normal((144, 10)) * 0.1).astype(np.float32),
                 "b2": (r.standard_normal(10) * 0.1).astype(np.float32)})
fp32_path, q_path = os.path.join(work, "dyn.onnx"), os.path.join(work, "dyn.q.onnx")
onnx.save(fp32, fp32_path)
for weight_type, tag in ((QuantType.QUInt8, "quantize_dynamic_u8"),
                         (QuantType.QInt8, "quantize_dynamic_s8")):
    quantize_dynamic(fp32_path, q_path, weight_type=weight_type,
                     op_types_to_quantize=["Conv", "MatMul"])
    model = onnx.load(q_path)
    ops = sorted({n.op_type for n in model.graph.node})
    x = r.standard_normal((1, 2, 6, 6)).astype(np.float32)
    (expected,) = onnxruntime_outputs(model, {"x": x})
    ours = run_ours(tag, model, {"x": x})
    if isinstance(ours, str):
        report(tag, False, f"infer-run: {ours}")
        continue
    diff = float(np.max(np.abs(ours[0] - expected)))
    scale = float(np.max(np.abs(expected)))
    ok = "MatMulInteger" in ops and "DynamicQuantizeLinear" in ops and \
        diff <= 1e-5 * max(scale, 1.0)
    report(tag, ok, f"ops {', '.join(ops)}; max difference {diff:.3g} "
           f"(outputs up to {scale:.3g})")


# --- Unsupported variants: the importer's error, naming the node.
a = r.standard_normal((2, 3)).astype(np.float32)
expect_import_error("error_quantizelinear_operand", model_of(
    [helper.make_node("QuantizeLinear", ["a", "s", "z"], ["q"], name="q"),
     helper.make_node("MatMulInteger", ["q", "b"], ["y"], name="mmi_q")],
    {"a": a}, [("y", I32, [2, 2])],
    {"s": np.float32(0.1), "z": np.uint8(3), "b": s8((3, 2))}),
    "MatMulInteger node 'mmi_q'", "QuantizeLinear")
wz = u8((3,))
expect_import_error("error_runtime_per_channel_zero_point", model_of(
    [helper.make_node("ConvInteger", ["x", "w", "", "wz"], ["y"], name="convi_wz")],
    {"x": u8((1, 2, 5, 5)), "wz": wz}, [("y", I32, [1, 3, 3, 3])], {"w": u8((3, 2, 3, 3))}),
    "ConvInteger node 'convi_wz'", "w_zero_point")
a, az = u8((2, 3)), u8((2,))
expect_import_error("error_runtime_per_row_zero_point", model_of(
    [helper.make_node("MatMulInteger", ["a", "b", "az"], ["y"], name="mmi_az")],
    {"a": a, "az": az}, [("y", I32, [2, 2])], {"b": s8((3, 2))}),
    "MatMulInteger node 'mmi_az'", "a_zero_point")

# uint8 read by other ops is a ui8 tensor (values above 127 keep their
# unsigned order in Max and their value in the cast).
a = u8((2, 3))
exact("uint8_input_to_other_ops", model_of(
    [helper.make_node("Transpose", ["a"], ["t"], name="transpose_u8"),
     helper.make_node("Max", ["t", "m"], ["y"], name="max_u8"),
     helper.make_node("Cast", ["y"], ["f"], to=TensorProto.FLOAT, name="cast_u8")],
    {"a": a}, [("y", TensorProto.UINT8, [3, 2]), ("f", TensorProto.FLOAT, [3, 2])],
    {"m": np.full((3, 2), 100, np.uint8)}), {"a": a})

print(f"integer ops: {harness.failures} failed")
sys.exit(1 if harness.failures else 0)
