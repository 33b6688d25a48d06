#!/usr/bin/env python3
"""If, Loop, RNN, GRU and LSTM against onnxruntime.

    control_flow.py WORK_DIR

Writes WORK_DIR/*.onnx (and .npy condition values) for the FileCheck lines
of control-flow.test, then imports, compiles and runs each case below with
infer-run and compares every output with onnxruntime's at rtol 1e-4,
atol 1e-5 (layout = 1 recurrences, which onnxruntime lacks, with ONNX's
reference implementation):
- If on a run-time condition (scf.if, both values; branches that read outer
  values and constants; branches of different shapes), on a bound one
  (the branch inline);
- Loop unrolled (constant trip count), as scf.for (a large one), as
  scf.while (run-time trip count and condition, a condition the body
  computes, no trip count), scan outputs, a Loop in a Loop, an If in a Loop;
- RNN, GRU and LSTM forward, reverse and bidirectional with biases and
  initial states, weights as constants and as graph inputs, no initial
  state, constant and run-time sequence_lens, layout 1, peepholes,
  input_forget, linear_before_reset, clip, activations with alpha/beta;
  unrolled, and as an scf.for over 20 time steps;
- the errors of what is not supported, naming the node.
Each case prints PASS/FAIL.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP, helper, numpy_helper

import harness
from harness import expect_import_error, input_args, onnxruntime_outputs, report, run_infer
from infer.onnx.errors import ImportError_
from infer.onnx.importer import import_model

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(7)
RTOL, ATOL = 1e-4, 1e-5
V = helper.make_tensor_value_info
NP_TO_ONNX = {np.dtype(np.float32): TP.FLOAT, np.dtype(np.int32): TP.INT32,
              np.dtype(np.int64): TP.INT64, np.dtype(np.bool_): TP.BOOL}


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model_of(nodes, inputs, outputs, inits=(), opset=17):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def reference(model, feeds):
    if any(a.name == "layout" and a.i for n in model.graph.node for a in n.attribute):
        # onnxruntime has no layout 1 recurrences.
        from onnx.reference import ReferenceEvaluator
        return ReferenceEvaluator(model).run(None, feeds)
    return onnxruntime_outputs(model, feeds)


def check(tag, model, feeds, bindings=None, expect=None, input_shapes=None):
    """Imports `model` (with `bindings`), runs it on `feeds` and compares
    with the reference; `expect` names ops the IR must contain."""
    base = os.path.join(work, tag)
    try:
        text = import_model(model, bindings, input_shapes=input_shapes)
    except ImportError_ as e:
        report(tag, False, f"import: {e}")
        return
    for op in expect or ():
        if op not in text:
            report(tag, False, f"the IR has no {op}")
            return
    with open(base + ".mlir", "w") as f:
        f.write(text)
    # Bound inputs are constants of the module, not arguments.
    inputs = input_args(base, {name: value for name, value in feeds.items()
                               if not (bindings and name in bindings)})
    ours = run_infer(base + ".mlir", base, inputs, len(model.graph.output))
    if isinstance(ours, str):
        report(tag, False, ours)
        return
    theirs = reference(model, feeds)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a.shape != b.shape:
            report(tag, False, f"output {i}: shape {a.shape}, expected {b.shape}")
            return
        if not np.allclose(a, b, rtol=RTOL, atol=ATOL):
            report(tag, False, f"output {i}: max difference {np.abs(a - b).max()}")
            return
    report(tag, True)


def save(name, model):
    onnx.save(model, os.path.join(work, name + ".onnx"))


# ------------------------------------------------------------------ If

def if_model():
    """y = relu(x) + w if c else (-x) * w, and a second output of another
    shape per branch (x[:2] or x[:3] of the flattened x)."""
    then_g = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["t0"], name="then_relu"),
         helper.make_node("Add", ["t0", "w"], ["t"], name="then_add"),
         helper.make_node("Slice", ["flat", "s0", "e2"], ["ts"], name="then_slice")],
        "then", [], [V("t", TP.FLOAT, [2, 3]), V("ts", TP.FLOAT, [2])])
    else_g = helper.make_graph(
        [helper.make_node("Neg", ["x"], ["e0"], name="else_neg"),
         helper.make_node("Mul", ["e0", "w"], ["e"], name="else_mul"),
         helper.make_node("Slice", ["flat", "s0", "e3"], ["es"], name="else_slice")],
        "else", [], [V("e", TP.FLOAT, [2, 3]), V("es", TP.FLOAT, [3])])
    nodes = [helper.make_node("Flatten", ["x"], ["flat2"], axis=0, name="flatten"),
             helper.make_node("Squeeze", ["flat2", "zero"], ["flat"], name="squeeze"),
             helper.make_node("If", ["c"], ["y", "z"], then_branch=then_g,
                              else_branch=else_g, name="the_if")]
    return model_of(nodes, [V("x", TP.FLOAT, [2, 3]), V("c", TP.BOOL, [])],
                    [V("y", TP.FLOAT, [2, 3]), V("z", TP.FLOAT, None)],
                    [const("w", np.arange(6, dtype=np.float32).reshape(2, 3) / 4),
                     const("zero", np.array([0], np.int64)),
                     const("s0", np.array([0], np.int64)),
                     const("e2", np.array([2], np.int64)),
                     const("e3", np.array([3], np.int64))])


x = rng.standard_normal((2, 3)).astype(np.float32)
m = if_model()
save("if", m)
np.save(os.path.join(work, "true.npy"), np.array(True))
np.save(os.path.join(work, "false.npy"), np.array(False))
check("if_runtime_true", m, {"x": x, "c": np.array(True)}, expect=["scf.if"])
check("if_runtime_false", m, {"x": x, "c": np.array(False)}, expect=["scf.if"])
check("if_bound_false", m, {"x": x, "c": np.array(False)},
      bindings={"c": np.array(False)})


# ---------------------------------------------------------------- Loop

def loop_model(trips, cond, computed_cond=False, scan=True, opset=13):
    """y_{k+1} = (y_k + k) * scale; scan output tanh(y_{k+1}). `trips` and
    `cond`: a value (a constant), "input" (a graph input) or None (absent).
    With `computed_cond` the body's condition is sum(y) < 50."""
    inputs, inits, names = [V("y0", TP.FLOAT, [3])], [], []
    for name, value, t in (("M", trips, TP.INT64), ("cond", cond, TP.BOOL)):
        if value == "input":
            inputs.append(V(name, t, []))
            names.append(name)
        elif value is None:
            names.append("")
        else:
            inits.append(const(name, np.array(value, np.int64 if t == TP.INT64
                                              else np.bool_)))
            names.append(name)
    body = [helper.make_node("Cast", ["i"], ["fi"], to=TP.FLOAT, name="body_cast"),
            helper.make_node("Add", ["yin", "fi"], ["ya"], name="body_add"),
            helper.make_node("Mul", ["ya", "scale"], ["yout"], name="body_mul"),
            helper.make_node("Tanh", ["yout"], ["s"], name="body_tanh")]
    if computed_cond:
        body += [helper.make_node("ReduceSum", ["yout"], ["total"], keepdims=0,
                                  name="body_sum"),
                 helper.make_node("Less", ["total", "limit"], ["cout"], name="body_less")]
        inits.append(const("limit", np.array(50, np.float32)))
    else:
        body.append(helper.make_node("Identity", ["cin"], ["cout"], name="body_cond"))
    outs = [V("cout", TP.BOOL, []), V("yout", TP.FLOAT, [3])]
    if scan:
        outs.append(V("s", TP.FLOAT, [3]))
    body_g = helper.make_graph(body, "body", [V("i", TP.INT64, []), V("cin", TP.BOOL, []),
                                              V("yin", TP.FLOAT, [3])], outs)
    inits.append(const("scale", np.array([1.1, 0.55, -1.1], np.float32)))
    results = ["yf"] + (["sc"] if scan else [])
    return model_of([helper.make_node("Loop", names + ["y0"], results, body=body_g,
                                      name="the_loop")],
                    inputs, [V(r, TP.FLOAT, None) for r in results], inits, opset)


y0 = np.array([0.5, -1, 2], np.float32)
save("loop_small", loop_model(4, None))
save("loop_large", loop_model(100, None))
save("loop_runtime", loop_model("input", "input"))
check("loop_unrolled", loop_model(4, None), {"y0": y0})
check("loop_unrolled_cond_true", loop_model(4, True, opset=11), {"y0": y0})
check("loop_scf_for", loop_model(100, None), {"y0": y0 * 0.01}, expect=["scf.for"])
check("loop_scf_while_runtime_trip_count", loop_model("input", "input"),
      {"y0": y0, "M": np.array(7, np.int64), "cond": np.array(True)},
      expect=["scf.while"])
check("loop_scf_while_false_condition", loop_model("input", "input"),
      {"y0": y0, "M": np.array(7, np.int64), "cond": np.array(False)},
      expect=["scf.while"])
check("loop_scf_while_computed_condition", loop_model(10, True, computed_cond=True),
      {"y0": y0}, expect=["scf.while"])
check("loop_scf_while_no_trip_count",
      loop_model(None, "input", computed_cond=True, scan=False),
      {"y0": y0, "cond": np.array(True)}, expect=["scf.while"])


def nested_model():
    """A Loop (run-time trip count) whose body runs a Loop of 3 iterations
    (unrolled) reading the outer body's value, and an If on i < 2."""
    inner = helper.make_graph(
        [helper.make_node("Add", ["zin", "yin"], ["zo"], name="inner_add"),
         helper.make_node("Identity", ["ci"], ["cio"], name="inner_cond")], "inner",
        [V("j", TP.INT64, []), V("ci", TP.BOOL, []), V("zin", TP.FLOAT, [3])],
        [V("cio", TP.BOOL, []), V("zo", TP.FLOAT, [3])])
    then_g = helper.make_graph([helper.make_node("Mul", ["z", "half"], ["t"],
                                                 name="then_mul")],
                               "then", [], [V("t", TP.FLOAT, [3])])
    else_g = helper.make_graph([helper.make_node("Sub", ["z", "x"], ["e"], name="else_sub")],
                               "else", [], [V("e", TP.FLOAT, [3])])
    outer = helper.make_graph(
        [helper.make_node("Loop", ["three", "", "yin"], ["z"], body=inner,
                          name="inner_loop"),
         helper.make_node("Less", ["i", "two"], ["lt"], name="outer_less"),
         helper.make_node("If", ["lt"], ["yo"], then_branch=then_g, else_branch=else_g,
                          name="outer_if"),
         helper.make_node("Identity", ["c"], ["co"], name="outer_cond")], "outer",
        [V("i", TP.INT64, []), V("c", TP.BOOL, []), V("yin", TP.FLOAT, [3])],
        [V("co", TP.BOOL, []), V("yo", TP.FLOAT, [3]), V("yo", TP.FLOAT, [3])])
    return model_of(
        [helper.make_node("Loop", ["M", "", "y0"], ["yf", "sc"], body=outer,
                          name="outer_loop")],
        [V("x", TP.FLOAT, [3]), V("M", TP.INT64, []), V("y0", TP.FLOAT, [3])],
        [V("yf", TP.FLOAT, [3]), V("sc", TP.FLOAT, None)],
        [const("three", np.array(3, np.int64)), const("two", np.array(2, np.int64)),
         const("half", np.array(0.5, np.float32))])


feeds = {"x": np.array([1, 2, 3], np.float32), "M": np.array(4, np.int64),
         "y0": np.array([0.1, 0.2, 0.3], np.float32)}
check("loop_nested_scf", nested_model(), feeds, expect=["scf.for", "scf.if"])
check("loop_nested_unrolled", nested_model(), feeds, bindings={"M": feeds["M"]})


# ------------------------------------------------------- RNN, GRU, LSTM

GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def recurrent(op, S=4, B=2, I=3, H=5, direction="forward", bias=True, lens=None,
              h0=True, c0=True, P=False, layout=0, const_weights=True, **attrs):
    """(model, feeds) of one `op` node; `lens`: a list (a graph input) or
    a tuple holding a list (a constant)."""
    dirs = 2 if direction == "bidirectional" else 1
    g = GATES[op]
    feeds = {"X": rng.standard_normal((B, S, I) if layout else (S, B, I))
             .astype(np.float32)}
    weights = {"W": rng.standard_normal((dirs, g * H, I)).astype(np.float32) * 0.5,
               "R": rng.standard_normal((dirs, g * H, H)).astype(np.float32) * 0.5}
    if bias:
        weights["B"] = rng.standard_normal((dirs, 2 * g * H)).astype(np.float32) * 0.3
    inits = {}
    (inits if const_weights else feeds).update(weights)
    names = ["X", "W", "R", "B" if bias else ""]
    if isinstance(lens, tuple):
        inits["L"] = np.array(lens[0], np.int32)
    elif lens is not None:
        feeds["L"] = np.array(lens, np.int32)
    names.append("" if lens is None else "L")
    state = (B, dirs, H) if layout else (dirs, B, H)
    names.append("h0" if h0 else "")
    if h0:
        feeds["h0"] = rng.standard_normal(state).astype(np.float32)
    outputs = ["Y", "Y_h"]
    if op == "LSTM":
        names.append("c0" if c0 else "")
        if c0:
            feeds["c0"] = rng.standard_normal(state).astype(np.float32)
        names.append("P" if P else "")
        if P:
            inits["P"] = rng.standard_normal((dirs, 3 * H)).astype(np.float32)
        outputs.append("Y_c")
    while names[-1] == "":
        names.pop()
    if layout:
        attrs["layout"] = 1
    node = helper.make_node(op, names, outputs, hidden_size=H, direction=direction,
                            name=op.lower(), **attrs)
    model = model_of([node], [V(k, NP_TO_ONNX[v.dtype], v.shape) for k, v in feeds.items()],
                     [V(o, TP.FLOAT, None) for o in outputs],
                     [const(k, v) for k, v in inits.items()], opset=14)
    return model, feeds


for op in ("RNN", "GRU", "LSTM"):
    for direction in ("forward", "reverse", "bidirectional"):
        check(f"{op}_{direction}", *recurrent(op, direction=direction))
    check(f"{op}_weights_as_inputs", *recurrent(op, direction="bidirectional",
                                                const_weights=False))
    check(f"{op}_no_bias_no_initial_state", *recurrent(op, bias=False, h0=False, c0=False))
    check(f"{op}_sequence_lens_constant", *recurrent(op, direction="bidirectional",
                                                     lens=([4, 2],)))
    check(f"{op}_sequence_lens_input", *recurrent(op, direction="bidirectional",
                                                  lens=[3, 1], h0=False, c0=False))
    check(f"{op}_layout_1", *recurrent(op, direction="bidirectional", layout=1))
    check(f"{op}_clip", *recurrent(op, clip=0.7))
check("LSTM_peepholes", *recurrent("LSTM", P=True, direction="bidirectional"))
check("LSTM_peepholes_no_initial_c", *recurrent("LSTM", P=True, c0=False))
check("LSTM_input_forget", *recurrent("LSTM", input_forget=1))
check("GRU_linear_before_reset", *recurrent("GRU", linear_before_reset=1,
                                            direction="bidirectional"))
check("GRU_linear_before_reset_inputs", *recurrent("GRU", linear_before_reset=1,
                                                   const_weights=False, h0=False))
# More than 16 steps: an scf.for over time.
for op in ("RNN", "GRU", "LSTM"):
    check(f"{op}_time_loop", *recurrent(op, S=20, direction="bidirectional", lens=[20, 7]),
          expect=["scf.for"])
check("LSTM_time_loop_layout_1_peepholes", *recurrent(
    "LSTM", S=20, layout=1, P=True, c0=False, direction="reverse"), expect=["scf.for"])
check("GRU_time_loop_linear_before_reset", *recurrent(
    "GRU", S=20, linear_before_reset=1, h0=False, lens=([13, 20],), const_weights=False),
    expect=["scf.for"])
for act in ("Relu", "Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh",
            "HardSigmoid", "Elu", "Softsign", "Softplus"):
    check(f"RNN_{act}", *recurrent("RNN", activations=[act], activation_alpha=[0.7],
                                   activation_beta=[0.3]))
    check(f"RNN_{act}_defaults", *recurrent("RNN", activations=[act]))
check("LSTM_activations", *recurrent(
    "LSTM", direction="bidirectional",
    activations=["HardSigmoid", "ScaledTanh", "Tanh", "Sigmoid", "Affine", "LeakyRelu"],
    activation_alpha=[0.3, 0.8, 0.5, 0.2], activation_beta=[0.4, 0.9, 0.1]))
check("GRU_activations", *recurrent(
    "GRU", direction="bidirectional",
    activations=["LeakyRelu", "Tanh", "Sigmoid", "ScaledTanh"],
    activation_alpha=[0.3, 0.8], activation_beta=[0.4]))


# --------------------------------------------------------------- errors

m, _ = recurrent("LSTM")
m.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "seq"
save("lstm_dynamic", m)
expect_import_error("error_dynamic_sequence", m)
check("dynamic_sequence_fixed_by_input_shape", m, _, input_shapes={"X": [4, 2, 3]})
expect_import_error("error_activation", recurrent("GRU", activations=["Sigmoid", "Selu"])[0])
expect_import_error("error_scan_without_trip_count",
                    loop_model(None, "input", computed_cond=True, scan=True))

body = helper.make_graph(
    [helper.make_node("Add", ["yin", "one"], ["yo"], name="body_add"),
     helper.make_node("Identity", ["c"], ["co"], name="body_cond")], "body",
    [V("i", TP.INT64, []), V("c", TP.BOOL, []), V("yin", TP.FLOAT, ["n"])],
    [V("co", TP.BOOL, []), V("yo", TP.FLOAT, ["n"])])
expect_import_error("error_dynamic_loop_carried", model_of(
    [helper.make_node("Loop", ["M", "", "y0"], ["yf"], body=body, name="dynamic_loop")],
    [V("M", TP.INT64, []), V("y0", TP.FLOAT, ["n"])], [V("yf", TP.FLOAT, ["n"])],
    [const("one", np.array(1, np.float32))]))

body = helper.make_graph(
    [helper.make_node("Concat", ["yin", "yin"], ["yo"], axis=0, name="body_concat"),
     helper.make_node("Identity", ["c"], ["co"], name="body_cond")], "body",
    [V("i", TP.INT64, []), V("c", TP.BOOL, []), V("yin", TP.FLOAT, None)],
    [V("co", TP.BOOL, []), V("yo", TP.FLOAT, None)])
growing = model_of(
    [helper.make_node("Loop", ["M", "", "y0"], ["yf"], body=body, name="growing_loop")],
    [V("M", TP.INT64, []), V("y0", TP.FLOAT, [2])], [V("yf", TP.FLOAT, None)])
expect_import_error("error_growing_loop_carried", growing)
check("growing_loop_carried_unrolled", growing,
      {"M": np.array(3, np.int64), "y0": np.array([1, 2], np.float32)},
      bindings={"M": np.array(3, np.int64)})

body = helper.make_graph(
    [helper.make_node("SequenceInsert", ["sin", "yin"], ["so"], name="body_insert"),
     helper.make_node("Identity", ["c"], ["co"], name="body_cond"),
     helper.make_node("Identity", ["yin"], ["yo"], name="body_y")], "body",
    [V("i", TP.INT64, []), V("c", TP.BOOL, []), V("yin", TP.FLOAT, [2]),
     helper.make_tensor_sequence_value_info("sin", TP.FLOAT, None)],
    [V("co", TP.BOOL, []), V("yo", TP.FLOAT, [2]),
     helper.make_tensor_sequence_value_info("so", TP.FLOAT, None)])
expect_import_error("error_sequence_loop", model_of(
    [helper.make_node("SequenceEmpty", [], ["s0"], name="empty"),
     helper.make_node("Loop", ["M", "", "y0", "s0"], ["yf", "sf"], body=body,
                      name="sequence_loop"),
     helper.make_node("ConcatFromSequence", ["sf"], ["cat"], axis=0, name="concat")],
    [V("M", TP.INT64, []), V("y0", TP.FLOAT, [2])],
    [V("yf", TP.FLOAT, None), V("cat", TP.FLOAT, None)]))

then_g = helper.make_graph([helper.make_node("ReduceSum", ["x"], ["t"], keepdims=0,
                                             name="then_sum")],
                           "then", [], [V("t", TP.FLOAT, [])])
else_g = helper.make_graph([helper.make_node("Unique", ["x"], ["e"], name="else_unique")],
                           "else", [], [V("e", TP.FLOAT, None)])
m = model_of([helper.make_node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g,
                               name="unique_if")],
             [V("x", TP.FLOAT, [2, 2]), V("c", TP.BOOL, [])], [V("y", TP.FLOAT, None)])
expect_import_error("error_unsupported_op_in_branch", m)
check("unsupported_op_in_branch_not_taken", m,
      {"x": rng.standard_normal((2, 2)).astype(np.float32), "c": np.array(True)},
      bindings={"c": np.array(True)})

print(f"control flow: {harness.failures} failed")
sys.exit(1 if harness.failures else 0)
