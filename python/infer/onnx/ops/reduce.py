"""Reduction converters: ReduceSum, ReduceMean, ReduceMax, ReduceMin,
ReduceProd. Their `axes` is an attribute until it becomes an input
(ReduceSum at opset 13, the others at 18): one registration each side of
that change."""
from infer.onnx.ops.registry import array_attr, converter, simple
from infer.onnx.ops.tensor import convert_identity

REDUCE_OPS = {"ReduceSum": "infer.reduce_sum", "ReduceMean": "infer.reduce_mean",
              "ReduceMax": "infer.reduce_max", "ReduceMin": "infer.reduce_min",
              "ReduceProd": "infer.reduce_prod"}


def emit_reduce(imp, node, axes):
    if not axes and imp.attr(node, "noop_with_empty_axes", 0):
        convert_identity(imp, node)
        return
    keepdims = bool(imp.attr(node, "keepdims", 1))
    simple(imp, node, REDUCE_OPS[node.op_type], f"axes = {array_attr(axes)}, keepdims = "
           f"{'true' if keepdims else 'false'}", operands=[node.input[0]])


@converter(*REDUCE_OPS)
def convert_reduce_axes_attr(imp, node):
    """`axes` as an attribute (ReduceSum before 13, the others before 18)."""
    emit_reduce(imp, node, list(imp.attr(node, "axes", [])))


@converter("ReduceSum", since=13)
@converter("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", since=18)
def convert_reduce(imp, node):
    """`axes` as an optional input, a constant here."""
    axes = imp.const_input(node, 1, "axes")
    emit_reduce(imp, node, [] if axes is None else axes.reshape(-1).tolist())
