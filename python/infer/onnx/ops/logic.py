"""Comparison, logic and the remaining elementwise math: Equal, Greater,
GreaterOrEqual, Less, LessOrEqual (to i1), And/Or/Xor/Not and their
Bitwise forms, Where, Mod, Reciprocal, Floor, Ceil, Round, Sign, the
trigonometric and hyperbolic functions, IsNaN, IsInf and BitShift."""
from infer.onnx.ops.registry import FLOATS, converter, simple

COMPARE = {"Equal": "infer.equal", "Greater": "infer.greater",
           "GreaterOrEqual": "infer.greater_equal", "Less": "infer.less",
           "LessOrEqual": "infer.less_equal"}


@converter(*COMPARE)
def convert_compare(imp, node):
    simple(imp, node, COMPARE[node.op_type], operands=[node.input[0], node.input[1]])


LOGIC = {"And": "infer.and", "Or": "infer.or", "Xor": "infer.xor",
         "BitwiseAnd": "infer.and", "BitwiseOr": "infer.or",
         "BitwiseXor": "infer.xor"}


@converter(*LOGIC)
def convert_logic(imp, node):
    simple(imp, node, LOGIC[node.op_type], operands=[node.input[0], node.input[1]])


@converter("Where")
def convert_where(imp, node):
    simple(imp, node, "infer.where", operands=list(node.input[:3]))


@converter("Mod")
def convert_mod(imp, node):
    fmod = imp.attr(node, "fmod", 0)
    elem = imp.type_of(node.input[0], node)[0]
    if elem in FLOATS and not fmod:
        raise imp.fail(node, "a float Mod needs fmod = 1")
    simple(imp, node, "infer.mod", f"fmod = {'true' if fmod else 'false'}",
           operands=[node.input[0], node.input[1]])


FLOAT_UNARY = {"Reciprocal": "infer.reciprocal", "Floor": "infer.floor",
               "Ceil": "infer.ceil", "Round": "infer.round", "Sin": "infer.sin",
               "Cos": "infer.cos", "Tan": "infer.tan", "Asin": "infer.asin",
               "Acos": "infer.acos", "Atan": "infer.atan", "Sinh": "infer.sinh",
               "Cosh": "infer.cosh", "Asinh": "infer.asinh",
               "Acosh": "infer.acosh", "Atanh": "infer.atanh"}


@converter(*FLOAT_UNARY)
def convert_float_unary(imp, node):
    elem = imp.type_of(node.input[0], node)[0]
    if elem not in FLOATS:
        raise imp.fail(node, f"element type {elem} is not a float type")
    simple(imp, node, FLOAT_UNARY[node.op_type], unary=True)


@converter("Sign")
def convert_sign(imp, node):
    simple(imp, node, "infer.sign", unary=True)


@converter("Not", "BitwiseNot")
def convert_not(imp, node):
    simple(imp, node, "infer.not", unary=True)


@converter("IsNaN")
def convert_is_nan(imp, node):
    simple(imp, node, "infer.is_nan", operands=[node.input[0]])


@converter("IsInf")
def convert_is_inf(imp, node):
    pos = "true" if imp.attr(node, "detect_positive", 1) else "false"
    neg = "true" if imp.attr(node, "detect_negative", 1) else "false"
    simple(imp, node, "infer.is_inf",
           f"detect_positive = {pos}, detect_negative = {neg}", operands=[node.input[0]])


@converter("BitShift")
def convert_bit_shift(imp, node):
    direction = imp.attr(node, "direction", b"")
    direction = direction.decode() if isinstance(direction, bytes) else direction
    if direction not in ("LEFT", "RIGHT"):
        raise imp.fail(node, f"direction must be LEFT or RIGHT, got '{direction}'")
    simple(imp, node, "infer.bit_shift", f'direction = "{direction.lower()}"',
           operands=[node.input[0], node.input[1]])

