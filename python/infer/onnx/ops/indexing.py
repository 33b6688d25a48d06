"""Indexed reads and writes, scans and arg reductions: GatherElements,
GatherND, ScatterElements (and Scatter, its opset 9 name), ScatterND,
Trilu, CumSum, ArgMax, ArgMin. Operands the dialect keeps as attributes
(Trilu's k, CumSum's axis) must be constants."""
from infer.onnx.ops.registry import converter, simple


def _reduction(imp, node):
    reduction = imp.attr(node, "reduction", b"none")
    return reduction.decode() if isinstance(reduction, bytes) else reduction


@converter("GatherElements")
def convert_gather_elements(imp, node):
    simple(imp, node, "infer.gather_elements", f"axis = {imp.attr(node, 'axis', 0)} : i64",
           operands=[node.input[0], node.input[1]])


@converter("GatherND")
def convert_gather_nd(imp, node):
    simple(imp, node, "infer.gather_nd",
           f"batch_dims = {imp.attr(node, 'batch_dims', 0)} : i64",
           operands=[node.input[0], node.input[1]])


@converter("Scatter", "ScatterElements")
def convert_scatter_elements(imp, node):
    simple(imp, node, "infer.scatter_elements",
           f'axis = {imp.attr(node, "axis", 0)} : i64, reduction = "{_reduction(imp, node)}"',
           operands=list(node.input[:3]))


@converter("ScatterND")
def convert_scatter_nd(imp, node):
    batch = imp.type_of(node.input[1], node)[1]
    if batch and batch[-1] is None:
        raise imp.fail(node, "the last dimension of indices must be static")
    simple(imp, node, "infer.scatter_nd", f'reduction = "{_reduction(imp, node)}"',
           operands=list(node.input[:3]))


@converter("Trilu")
def convert_trilu(imp, node):
    k = imp.const_input(node, 1, "k")
    k = 0 if k is None else int(k.reshape(-1)[0])
    upper = "true" if imp.attr(node, "upper", 1) else "false"
    simple(imp, node, "infer.trilu", f"k = {k} : i64, upper = {upper}", unary=True,
           operands=[node.input[0]])


@converter("CumSum")
def convert_cumsum(imp, node):
    axis = imp.const_input(node, 1, "axis")
    if axis is None:
        raise imp.fail(node, "the axis input is required")
    exclusive = "true" if imp.attr(node, "exclusive", 0) else "false"
    reverse = "true" if imp.attr(node, "reverse", 0) else "false"
    simple(imp, node, "infer.cumsum",
           f"axis = {int(axis.reshape(-1)[0])} : i64, exclusive = {exclusive}, "
           f"reverse = {reverse}", unary=True, operands=[node.input[0]])


@converter("ArgMax", "ArgMin")
def convert_arg_reduce(imp, node):
    op = "infer.arg_max" if node.op_type == "ArgMax" else "infer.arg_min"
    keepdims = "true" if imp.attr(node, "keepdims", 1) else "false"
    last = "true" if imp.attr(node, "select_last_index", 0) else "false"
    simple(imp, node, op, f"axis = {imp.attr(node, 'axis', 0)} : i64, keepdims = "
           f"{keepdims}, select_last_index = {last}", operands=[node.input[0]])
