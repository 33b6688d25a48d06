"""Elementwise converters: binary arithmetic (Add, Sub, Mul, Div, Pow),
variadic Sum/Max/Min/Mean, unary activations (Relu, Sigmoid, Tanh, Exp,
Log, Sqrt, Neg, Abs, Erf, HardSwish), LeakyRelu, HardSigmoid, Gelu, Clip."""
from infer.onnx.ops.registry import (F32_MAX, FLOATS, broadcast, converter, f32_attr,
                                     flt, simple, tensor_type)


BINARY = {"Add": "infer.add", "Sub": "infer.sub", "Mul": "infer.mul",
          "Div": "infer.div", "Pow": "infer.pow"}


@converter(*BINARY)
def convert_binary(imp, node):
    a, b = imp.type_of(node.input[0], node), imp.type_of(node.input[1], node)
    operands = [node.input[0], node.input[1]]
    if node.op_type == "Pow" and a[0] != b[0]:
        # ONNX lets the exponent have another type; the result has the base's.
        if a[0] in FLOATS or b[0] not in FLOATS:
            t = tensor_type(a[0], b[1])
            operands[1] = (imp.emit("infer.cast", [node.input[1]], t, node=node), t)
        else:
            # An integer base with a float exponent: compute in f64 and
            # truncate, as onnxruntime does.
            ta, tb = tensor_type("f64", a[1]), tensor_type("f64", b[1])
            base = (imp.emit("infer.cast", [node.input[0]], ta, node=node), ta)
            exp = (imp.emit("infer.cast", [node.input[1]], tb, node=node), tb)
            out_elem, out_shape = imp.out_type(node)
            tp = tensor_type("f64", out_shape)
            p = (imp.emit("infer.pow", [base, exp], tp, node=node), tp)
            ssa = imp.emit("infer.cast", [p], tensor_type(out_elem, out_shape), node=node)
            imp.bind(node.output[0], ssa, (out_elem, out_shape))
            return
    simple(imp, node, BINARY[node.op_type], operands=operands)


@converter("Sum", "Max", "Min", "Mean")
def convert_variadic(imp, node):
    op = {"Sum": "infer.add", "Mean": "infer.add", "Max": "infer.max",
          "Min": "infer.min"}[node.op_type]
    inputs = [i for i in node.input if i]
    elem, shape = imp.type_of(inputs[0], node)
    acc = (imp.value(inputs[0], node), tensor_type(elem, shape))
    for name in inputs[1:]:
        shape = broadcast(shape, imp.type_of(name, node)[1])
        t = tensor_type(elem, shape)
        acc = (imp.emit(op, [acc, name], t, node=node), t)
    if node.op_type == "Mean" and len(inputs) > 1:
        n = imp.fresh()
        imp.lines.append(f"  {n} = infer.constant dense<{flt(len(inputs))}>"
                         f" : tensor<{elem}>")
        acc = (imp.emit("infer.div", [acc, (n, f"tensor<{elem}>")], acc[1],
                        node=node), acc[1])
    imp.bind(node.output[0], acc[0], (elem, shape))


UNARY = {"Relu": "infer.relu", "Sigmoid": "infer.sigmoid", "Tanh": "infer.tanh",
         "Exp": "infer.exp", "Log": "infer.log", "Sqrt": "infer.sqrt",
         "Neg": "infer.neg", "Abs": "infer.abs", "Erf": "infer.erf",
         "HardSwish": "infer.hard_swish"}


@converter(*UNARY)
def convert_unary(imp, node):
    elem = imp.type_of(node.input[0], node)[0]
    if node.op_type not in ("Relu", "Neg", "Abs") and elem not in FLOATS:
        raise imp.fail(node, f"element type {elem} is not a float type")
    simple(imp, node, UNARY[node.op_type], unary=True)


@converter("LeakyRelu")
def convert_leaky_relu(imp, node):
    simple(imp, node, "infer.leaky_relu",
           f"alpha = {f32_attr(imp.attr(node, 'alpha', 0.01))}", unary=True)


@converter("HardSigmoid")
def convert_hard_sigmoid(imp, node):
    simple(imp, node, "infer.hard_sigmoid",
           f"alpha = {f32_attr(imp.attr(node, 'alpha', 0.2))}, "
           f"beta = {f32_attr(imp.attr(node, 'beta', 0.5))}", unary=True)


@converter("Gelu")
def convert_gelu(imp, node):
    approx = imp.attr(node, "approximate", b"none")
    approx = approx.decode() if isinstance(approx, bytes) else approx
    simple(imp, node, "infer.gelu", f'approximate = "{approx}"', unary=True)


def emit_clip(imp, node, lo, hi):
    # An infinite bound (or one beyond f32) bounds nothing.
    lo, hi = (None if v is None or abs(float(v)) > F32_MAX else v for v in (lo, hi))
    attrs = []
    if lo is not None:
        attrs.append(f"min = {f32_attr(float(lo))}")
    if hi is not None:
        attrs.append(f"max = {f32_attr(float(hi))}")
    if lo is not None and hi is not None and float(lo) > float(hi):
        raise imp.fail(node, "min exceeds max")
    simple(imp, node, "infer.clip", ", ".join(attrs), unary=True,
           operands=[node.input[0]])


@converter("Clip")
def convert_clip_attrs(imp, node):
    """Clip-1 and -6: the bounds are attributes."""
    emit_clip(imp, node, imp.attr(node, "min"), imp.attr(node, "max"))


@converter("Clip", since=11)
def convert_clip(imp, node):
    """Clip-11 on: the bounds are optional inputs, constants here."""
    # Scalars by the spec; one-element tensors are common enough.
    lo = imp.const_input(node, 1, "min")
    hi = imp.const_input(node, 2, "max")
    emit_clip(imp, node, None if lo is None else lo.reshape(-1)[0],
              None if hi is None else hi.reshape(-1)[0])
