"""Validation of an ONNX model before the importer emits anything.

In order, each step assuming the previous ones passed: the model's fields
(graph, opset, initializers, --bind values); the graph's structure (every edge
defined before use, single assignment, outputs produced, declared types that
agree, sizes that fit in memory); the ops the dialect covers (all others
listed at once); each node against its ONNX schema at the model's opset
(arity, required inputs, attribute names and types, input element types); the
attribute and shape constraints of the ops the importer converts (op_checks.py:
Conv's group divides the channels, kernel_shape matches the weight, strides
positive, the window fits, axes in range, perm a permutation...) on the shapes
that a lenient shape inference finds from the graph inputs; ONNX's shape
inference in strict mode; ONNX's checker. The importer runs the op
constraints and strict inference again once it has folded constant
subgraphs (validate_folded). Every failure is an ImportError_ whose message
names the node, its op type and opset and the attribute or input at fault.
"""
import math
import re

import numpy as np
import onnx
from onnx import AttributeProto, TensorProto, defs, helper, numpy_helper, \
    shape_inference

from infer.onnx.errors import ImportError_, Unsupported, node_label
from infer.onnx.op_checks import OP_CHECKS, known

_NP_ELEMS = {np.dtype(t): helper.np_dtype_to_tensor_dtype(np.dtype(t)) for t in (
    np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
    np.uint8, np.uint16, np.uint32, np.uint64, np.bool_)}
_OPTIONAL = defs.OpSchema.FormalParameterOption.Optional
# Node names of the validation copy, mapped back in ONNX's messages.
_TAG = "__infer_node_"
_TAG_RE = re.compile(re.escape(_TAG) + r"(\d+)")


# Ops whose subgraph attributes the importer takes (ops/control.py: the
# branches and the body are checked when they are imported).
_SUBGRAPH_OPS = ("If", "Loop")


# ONNX's data propagation builds symbolic values for every element of a 1-D
# tensor (not only of shapes): time and memory grow with the length, to
# gigabytes for a 1-D input of 2^24 elements. Shapes are far shorter.
DATA_PROP_MAX_LENGTH = 4096


# Window sizes, strides, dilations and pads beyond any real tensor's sizes;
# the dialect adds and multiplies them in 64 bits.
WINDOW_LIMIT = 2 ** 31

# More elements than any tensor in memory has; beyond it ONNX's and MLIR's
# size arithmetic overflows (ONNX infers wrong Slice sizes from 2^60 on).
MAX_ELEMENTS = 2 ** 48


def infer_shapes(model, strict=False):
    """ONNX's shape inference, with data propagation unless the model has a
    1-D tensor longer than DATA_PROP_MAX_LENGTH."""
    def long_1d(vi):
        dims = vi.type.tensor_type.shape.dim
        return len(dims) == 1 and dims[0].dim_value > DATA_PROP_MAX_LENGTH
    # A graph input or initializer listed again as a graph output: ONNX takes
    # the output's declared type for it (maybe without a shape), and the
    # nodes that read it infer nothing. Inference does without those outputs.
    aliases = {i.name for i in model.graph.input} | \
        {i.name for i in model.graph.initializer}
    if any(o.name in aliases for o in model.graph.output):
        copy = onnx.ModelProto()
        copy.CopyFrom(model)
        outputs = [o for o in copy.graph.output if o.name not in aliases]
        del copy.graph.output[:]
        copy.graph.output.extend(outputs)
        model = copy
    plain = shape_inference.infer_shapes(model)
    graph = plain.graph
    data_prop = not any(long_1d(vi) for vi in list(graph.input) + list(graph.output)
                        + list(graph.value_info)) and \
        not any(len(i.dims) == 1 and i.dims[0] > DATA_PROP_MAX_LENGTH
                for i in graph.initializer)
    if not strict and not data_prop:
        return plain
    return shape_inference.infer_shapes(model, strict_mode=strict, data_prop=data_prop)


def default_opset(model):
    """The model's ai.onnx opset version, or an error if it has none we
    know."""
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise ImportError_("the model imports no ai.onnx opset (opset_import "
                           "has no entry for the default domain)")
    if len(versions) > 1:
        raise ImportError_(f"the model imports the ai.onnx opset "
                           f"{len(versions)} times")
    opset, latest = versions[0], defs.onnx_opset_version()
    if not 1 <= opset <= latest:
        raise ImportError_(f"ai.onnx opset {opset} does not exist in the "
                           f"installed onnx package (1 to {latest})")
    return opset


def _values(attr):
    """The attribute's value as its declared type reads it."""
    try:
        return helper.get_attribute_value(attr)
    except Exception:  # noqa: BLE001 - an undefined attribute type
        return None


class _Node:
    """A node under validation: typed accessors that fail with its label."""

    def __init__(self, validator, node, index):
        self.v = validator
        self.node = node
        self.index = index
        self.opset = validator.opset
        self.label = node_label(node, self.opset, index)

    def fail(self, why):
        raise ImportError_(f"{self.label}: {why}")

    def attr(self, name, default=None):
        for a in self.node.attribute:
            if a.name == name:
                return _values(a)
        return default

    def input(self, i):
        node = self.node
        return node.input[i] if i < len(node.input) and node.input[i] else None

    def shape(self, i):
        """The shape of input i (None entries: unknown sizes), or None."""
        name = self.input(i)
        return None if name is None else self.v.shapes.get(name)

    def rank(self, i):
        shape = self.shape(i)
        return None if shape is None else len(shape)

    def const(self, i):
        name = self.input(i)
        return None if name is None else self.v.consts.get(name)

    def ints(self, name, values, count=None, what=None, positive=False,
             nonnegative=False, window=False):
        """Checks a list of integers (an attribute or a constant input):
        its length and sign, and with `window` (kernel sizes, strides,
        dilations, pads) that they stay below WINDOW_LIMIT."""
        if values is None:
            return None
        values = [int(v) for v in np.asarray(values).reshape(-1).tolist()]
        if count is not None and len(values) != count:
            self.fail(f"{name} has {len(values)} values, expected {count}"
                      + (f" ({what})" if what else ""))
        if positive and any(v <= 0 for v in values):
            self.fail(f"{name} must be positive, got {values}")
        if nonnegative and any(v < 0 for v in values):
            self.fail(f"{name} must not be negative, got {values}")
        if window and any(v >= WINDOW_LIMIT for v in values):
            self.fail(f"{name} {values} has a value of 2^31 or more")
        return values

    def axis(self, name, axis, rank, inclusive=False):
        """Checks that `axis` is in [-rank, rank) ([-rank, rank] when
        inclusive); returns it normalized."""
        if axis is None or rank is None:
            return axis
        high = rank if inclusive else rank - 1
        if not -rank <= axis <= high:
            self.fail(f"{name} {axis} is out of range [{-rank}, {high}] for "
                      f"rank {rank}")
        return axis + rank if axis < 0 else axis

    def axes(self, name, axes, rank):
        if axes is None or rank is None:
            return axes
        normalized = [self.axis(name, int(a), rank) for a in axes]
        if len(set(normalized)) != len(normalized):
            self.fail(f"{name} {list(axes)} repeats an axis")
        return normalized

    def flag(self, name):
        value = self.attr(name)
        if value is not None and value not in (0, 1):
            self.fail(f"attribute '{name}' must be 0 or 1, got {value}")


class Validator:
    def __init__(self, model, supported, bindings=None):
        self.model = model
        self.supported = supported
        self.bindings = bindings or {}
        self.opset = None
        self.consts = {}
        self.shapes = {}
        self.elems = {}

    # ------------------------------------------------------------ steps

    def run(self):
        model = self.model
        if model.ByteSize() == 0:
            raise ImportError_("the model is empty (not an ONNX file?)")
        if not model.HasField("graph"):
            raise ImportError_("the model has no graph")
        if model.ir_version <= 0:
            raise ImportError_("the model has no ir_version")
        _check_text(model)
        self.opset = default_opset(model)
        graph = model.graph
        self.check_initializers(graph)
        self.check_bindings(graph)
        self.check_structure(graph)
        self.check_supported(graph)
        for index, node in enumerate(graph.node):
            self.check_schema(_Node(self, node, index))
        self.run_onnx_checks(model)

    def check_initializers(self, graph):
        if len(graph.sparse_initializer):
            raise ImportError_("sparse initializers are not supported")
        for init in graph.initializer:
            if not init.name:
                raise ImportError_("an initializer has no name")
            if init.data_location == TensorProto.EXTERNAL:
                raise ImportError_(f"initializer '{init.name}': external data was "
                                   "not loaded (is the data file next to the model?)")
            if init.data_type not in TensorProto.DataType.values() or \
                    init.data_type == TensorProto.UNDEFINED:
                raise ImportError_(f"initializer '{init.name}' has no valid "
                                   f"element type ({init.data_type})")
            if any(d < 0 for d in init.dims):
                raise ImportError_(f"initializer '{init.name}' has a negative "
                                   f"dimension {list(init.dims)}")
            try:
                self.consts[init.name] = numpy_helper.to_array(init)
            except Exception as e:  # noqa: BLE001 - data that does not fit its dims
                raise ImportError_(f"initializer '{init.name}' cannot be read: "
                                   f"{type(e).__name__}: {e}") from None
            self.shapes[init.name] = list(init.dims)
            self.elems[init.name] = init.data_type
        for index, node in enumerate(graph.node):
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx") \
                    and len(node.output) == 1:
                value = self.constant_value(_Node(self, node, index))
                if value is not None:
                    self.consts[node.output[0]] = value

    def constant_value(self, c):
        """The value of a Constant node (checked: exactly one value
        attribute, and one the importer reads)."""
        values = [a for a in c.node.attribute]
        if len(values) != 1:
            c.fail(f"needs exactly one value attribute, has {len(values)}")
        a = values[0]
        if a.name == "value":
            if a.type != AttributeProto.TENSOR:
                return None  # the schema check reports it
            try:
                return numpy_helper.to_array(a.t)
            except Exception as e:  # noqa: BLE001 - data that does not fit its dims
                c.fail(f"attribute 'value' cannot be read: {type(e).__name__}: {e}")
        if a.name in ("value_float", "value_floats", "value_int", "value_ints"):
            value = _values(a)
            return None if value is None else np.asarray(
                value, np.float32 if "float" in a.name else np.int64)
        c.fail(f"attribute '{a.name}' is not supported (value, value_float(s) "
               "and value_int(s) are)")

    def check_bindings(self, graph):
        inputs = {i.name: i for i in graph.input}
        for name, array in self.bindings.items():
            if name not in inputs:
                raise ImportError_(f"--bind {name}: the graph has no input '{name}'")
            array = np.asarray(array)
            tt = inputs[name].type.tensor_type
            want = helper.tensor_dtype_to_np_dtype(tt.elem_type) \
                if tt.elem_type in TensorProto.DataType.values() and \
                tt.elem_type != TensorProto.UNDEFINED else None
            if want is not None and array.dtype != want:
                raise ImportError_(f"--bind {name}: values of type {array.dtype}, "
                                   f"the input is {np.dtype(want)}")
            if tt.HasField("shape"):
                dims = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0
                        else None for d in tt.shape.dim]
                if len(dims) != array.ndim or any(
                        d is not None and d != s for d, s in zip(dims, array.shape)):
                    raise ImportError_(
                        f"--bind {name}: values of shape {list(array.shape)}, the "
                        f"input is {['?' if d is None else d for d in dims]}")
            self.consts[name] = array
            self.shapes[name] = list(array.shape)
            if tt.elem_type:
                self.elems[name] = tt.elem_type

    def check_structure(self, graph):
        """Every edge defined once, before its use; every output produced;
        graph inputs of sizes that fit in memory."""
        if not len(graph.output):
            raise ImportError_("the graph has no outputs")
        for inp in graph.input:
            shape = _shape(inp.type)
            if _elements(shape) > MAX_ELEMENTS:
                raise ImportError_(f"graph input '{inp.name}' has shape "
                                   f"{['?' if d is None else d for d in shape]}, "
                                   "more than 2^48 elements")
        defined = {}
        for init in graph.initializer:
            if init.name in defined:
                raise ImportError_(f"initializer '{init.name}' is defined twice")
            defined[init.name] = "an initializer"
        for inp in graph.input:
            if not inp.name:
                raise ImportError_("a graph input has no name")
            if defined.get(inp.name) == "a graph input":
                raise ImportError_(f"graph input '{inp.name}' is declared twice")
            defined[inp.name] = "a graph input"
        for index, node in enumerate(graph.node):
            c = _Node(self, node, index)
            for i, name in enumerate(node.input):
                if name and name not in defined:
                    c.fail(f"input {i} '{name}' is not a graph input, an "
                           "initializer or the output of an earlier node")
            for i, name in enumerate(node.output):
                if not name:
                    continue
                if name in defined:
                    c.fail(f"output {i} '{name}' is already defined by "
                           f"{defined[name]}")
                defined[name] = f"{node.op_type} node " + (
                    f"'{node.name}'" if node.name else f"#{index}")
        # ONNX's inference checks the declared types of node outputs, not of
        # graph inputs and initializers declared again as outputs or value_info.
        declared = {i.name: i.type for i in graph.input}
        declared.update((i.name, helper.make_tensor_type_proto(i.data_type, i.dims))
                        for i in graph.initializer)
        for where, vi in [("graph output", o) for o in graph.output] + \
                [("value_info", v) for v in graph.value_info]:
            if vi.name in declared and not _compatible(vi.type, declared[vi.name]):
                raise ImportError_(
                    f"{where} '{vi.name}' is declared {_describe(vi.type)}, but as "
                    f"{defined[vi.name]} it is {_describe(declared[vi.name])}")
        seen = set()
        for out in graph.output:
            if out.name not in defined:
                raise ImportError_(f"graph output '{out.name}' is not produced by "
                                   "any node, graph input or initializer")
            if out.name in seen:
                raise ImportError_(f"graph output '{out.name}' is listed twice")
            seen.add(out.name)

    def check_supported(self, graph):
        unsupported = []
        for index, node in enumerate(graph.node):
            which = node.name or (node.output[0] if len(node.output) else f"#{index}")
            if node.domain not in ("", "ai.onnx"):
                unsupported.append(f"{node.domain}.{node.op_type} (node '{which}')")
            elif node.op_type not in self.supported:
                unsupported.append(f"{node.op_type} (node '{which}')")
        if unsupported:
            raise Unsupported(f"unsupported ONNX ops (opset {self.opset}): "
                               + ", ".join(unsupported))

    def check_schema(self, c):
        """Arity, required inputs and attribute names and types from the op's
        ONNX schema at the model's opset."""
        node = c.node
        try:
            schema = defs.get_schema(node.op_type, self.opset, "")
        except defs.SchemaError:
            since = sorted(s.since_version for s in defs.get_all_schemas_with_history()
                           if s.name == node.op_type and s.domain == "")
            c.fail(f"{node.op_type} is not in opset {self.opset}"
                   + (f" (it exists from opset {since[0]})" if since else ""))
        if schema.deprecated:
            c.fail(f"{node.op_type} is deprecated in opset {self.opset}")
        n_in, n_out = len(node.input), len(node.output)
        if not schema.min_input <= n_in <= schema.max_input:
            c.fail(f"has {n_in} inputs, expects {_arity(schema.min_input, schema.max_input)}")
        if not schema.min_output <= n_out <= schema.max_output:
            c.fail(f"has {n_out} outputs, expects "
                   f"{_arity(schema.min_output, schema.max_output)}")
        for i, name in enumerate(node.input):
            formal = schema.inputs[min(i, len(schema.inputs) - 1)]
            if not name and formal.option != _OPTIONAL:
                c.fail(f"input {i} ({formal.name}) is required but empty")
        if not any(node.output):
            c.fail("has no named output")
        seen = set()
        for a in node.attribute:
            if a.name in seen:
                c.fail(f"attribute '{a.name}' is given twice")
            seen.add(a.name)
            formal = schema.attributes.get(a.name)
            if formal is None:
                c.fail(f"unknown attribute '{a.name}' (the schema has "
                       f"{', '.join(sorted(schema.attributes)) or 'none'})")
            if int(a.type) != int(formal.type):
                c.fail(f"attribute '{a.name}' is {_attr_type(a.type)}, expected "
                       f"{_attr_type(formal.type)}")
            if a.type in (AttributeProto.FLOAT, AttributeProto.FLOATS) and \
                    node.op_type != "Clip" and not all(
                        math.isfinite(f) for f in np.atleast_1d(_values(a))):
                c.fail(f"attribute '{a.name}' is not finite ({_values(a)})")
            if a.ref_attr_name:
                c.fail(f"attribute '{a.name}' refers to a function attribute")
            if a.type in (AttributeProto.GRAPH, AttributeProto.GRAPHS) and \
                    node.op_type not in _SUBGRAPH_OPS:
                c.fail(f"attribute '{a.name}' is a subgraph (not supported)")
        for name, formal in schema.attributes.items():
            if formal.required and name not in seen:
                c.fail(f"required attribute '{name}' is missing")

    def run_onnx_checks(self, model):
        """The op constraints on the shapes a lenient shape inference finds,
        then strict shape inference and ONNX's checker. ONNX sees a copy
        whose node names are their indices, so that its messages lead back
        to the node."""
        tagged = _tagged(model)
        # ONNX infers no type for the Constants of some early opsets: the
        # values tell.
        constants = []
        for node in tagged.graph.node:
            value = self.consts.get(node.output[0]) if node.op_type == "Constant" and \
                len(node.output) else None
            if value is not None and value.dtype in _NP_ELEMS:
                constants.append(helper.make_tensor_value_info(
                    node.output[0], _NP_ELEMS[value.dtype], value.shape))
        typed = {vi.name for vi in tagged.graph.value_info}
        tagged.graph.value_info.extend(c for c in constants if c.name not in typed)
        # The shapes the ops compute, from the graph inputs alone: ONNX merges
        # declared output and value_info shapes into its results, and some of
        # its rules (pooling) keep a declared shape of another rank.
        free = onnx.ModelProto()
        free.CopyFrom(tagged)
        del free.graph.value_info[:]
        free.graph.value_info.extend(constants)
        for out in free.graph.output:
            out.type.tensor_type.ClearField("shape")
        try:
            inferred = infer_shapes(free)
        except Exception:  # noqa: BLE001 - strict inference below reports it
            inferred = free
        producers = {o: (i, n) for i, n in enumerate(model.graph.node) for o in n.output}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.output) + \
                list(inferred.graph.input):
            shape = _shape(vi.type)
            if shape is not None and vi.name not in self.shapes:
                self.shapes[vi.name] = shape
            if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type and \
                    vi.name not in self.elems:
                self.elems[vi.name] = vi.type.tensor_type.elem_type
        computed = {vi.name: vi.type for vi in inferred.graph.value_info}
        computed.update((vi.name, vi.type) for vi in inferred.graph.output)
        for where, vi in [("graph output", o) for o in model.graph.output] + \
                [("value_info", v) for v in model.graph.value_info]:
            if vi.name in producers and vi.name in computed and \
                    not _compatible(vi.type, computed[vi.name]):
                index, node = producers[vi.name]
                raise ImportError_(
                    f"{node_label(node, self.opset, index)}: {where} '{vi.name}' is "
                    f"declared {_describe(vi.type)}, the node computes "
                    f"{_describe(computed[vi.name])}")
        self.check_ops(model, types=True)
        self.strict_inference(tagged)
        # The checker wants every graph output to declare a shape. We do not:
        # shape inference or constant folding finds it, or the import reports
        # the output's type unknown. The checker sees an empty one.
        for out in tagged.graph.output:
            if out.type.HasField("tensor_type"):
                out.type.tensor_type.shape.SetInParent()
        try:
            onnx.checker.check_model(tagged)
        except onnx.checker.ValidationError as e:
            raise self.onnx_error(str(e), "invalid model") from None

    def check_ops(self, model, types):
        """Each node's input element types (with `types`) and its op's
        constraints."""
        for index, node in enumerate(model.graph.node):
            c = _Node(self, node, index)
            for i, name in enumerate(node.output):
                if _elements(self.shapes.get(name)) > MAX_ELEMENTS:
                    c.fail(f"output {i} '{name}' would have shape "
                           f"{self.shapes[name]}, more than 2^48 elements")
            if types and node.op_type != "Constant":
                self.check_input_types(c)
            check = OP_CHECKS.get(node.op_type)
            if check is not None:
                check(c)

    def strict_inference(self, tagged):
        """ONNX's shape inference in strict mode; it sees --bind values as
        constants, as the import does."""
        if self.bindings:
            bound = onnx.ModelProto()
            bound.CopyFrom(tagged)
            bound.graph.initializer.extend(
                numpy_helper.from_array(np.asarray(a), n)
                for n, a in self.bindings.items())
        else:
            bound = tagged
        try:
            infer_shapes(bound, strict=True)
        except (shape_inference.InferenceError, RuntimeError) as e:
            raise self.onnx_error(str(e), "shape inference") from None
        except MemoryError:
            raise ImportError_("shape inference: out of memory") from None

    def check_input_types(self, c):
        """The element types of the node's inputs against its schema's type
        constraints (ONNX's inference does the same with check_type, but also
        rejects old models' Constants of types their opset did not list,
        which we import)."""
        schema = defs.get_schema(c.node.op_type, self.opset, "")
        allowed = {t.type_param_str: t.allowed_type_strs
                   for t in schema.type_constraints}
        bound = {}
        for i, name in enumerate(c.node.input):
            elem = self.elems.get(name) if name else None
            if elem is None:
                continue
            formal = schema.inputs[min(i, len(schema.inputs) - 1)]
            type_str = f"tensor({_elem_name(elem)})"
            types = allowed.get(formal.type_str, [formal.type_str])
            if type_str not in types:
                c.fail(f"input {i} ({formal.name}) has type {type_str}, expected "
                       + ("one of " if len(types) > 1 else "") + ", ".join(types))
            if formal.type_str in allowed:
                first = bound.setdefault(formal.type_str, (i, formal.name, type_str))
                if first[2] != type_str:
                    c.fail(f"input {i} ({formal.name}) has type {type_str}, input "
                           f"{first[0]} ({first[1]}) {first[2]}: both are "
                           f"{formal.type_str}")

    def onnx_error(self, text, what):
        """An ImportError_ from a checker or inference message: its first
        message, at the node it names."""
        lines = [line for line in text.strip().splitlines() if line.strip()]
        first = lines[0] if lines else text
        message = re.sub(r"\[\w+Error\]\s*|Inference error\(s\):\s*", "", first)
        message = re.sub(r"\(op_type:[^)]*\):\s*", "", message)
        message = re.sub(r"^Node\(" + _TAG + r"\d+\)\s*", "", message)
        nodes = self.model.graph.node
        message = _TAG_RE.sub(
            lambda m: nodes[int(m.group(1))].name or f"#{m.group(1)}",
            message.strip() or first)
        where = _TAG_RE.search(text)
        if where is None:
            return ImportError_(f"{what}: {message}")
        index = int(where.group(1))
        return ImportError_(f"{node_label(nodes[index], self.opset, index)}: "
                            f"{what}: {message}")


def _check_text(model):
    """ONNX's string fields are not checked when parsed: one that is not
    UTF-8 reads as bytes."""
    graph = model.graph
    fields = [("opset domain", o.domain) for o in model.opset_import]
    fields += [("graph input", v.name) for v in graph.input]
    fields += [("graph output", v.name) for v in graph.output]
    fields += [("value_info", v.name) for v in graph.value_info]
    fields += [("initializer", i.name) for i in graph.initializer]
    for node in graph.node:
        fields += [("node name", node.name), ("op type", node.op_type),
                   ("domain", node.domain)]
        fields += [("node input", i) for i in node.input]
        fields += [("node output", o) for o in node.output]
        fields += [("attribute", a.name) for a in node.attribute]
    for what, text in fields:
        if isinstance(text, bytes):
            raise ImportError_(f"{what} {text!r} is not UTF-8 text")


def _compatible(a, b):
    """Whether two declared types can describe the same tensor: the same
    element type, and the same rank and known sizes where both have them."""
    if a.WhichOneof("value") != b.WhichOneof("value"):
        return False
    if not a.HasField("tensor_type"):
        return True
    ta, tb = a.tensor_type, b.tensor_type
    if ta.elem_type and tb.elem_type and ta.elem_type != tb.elem_type:
        return False
    sa, sb = _shape(a), _shape(b)
    return sa is None or sb is None or (
        len(sa) == len(sb) and all(not known(x, y) or x == y for x, y in zip(sa, sb)))


def _describe(tp):
    """tensor(float)[2, ?] for messages."""
    if not tp.HasField("tensor_type"):
        return tp.WhichOneof("value") or "untyped"
    shape = _shape(tp)
    dims = "" if shape is None else str(["?" if d is None else d for d in shape]).replace("'", "")
    return f"tensor({_elem_name(tp.tensor_type.elem_type)}){dims}"


def _elements(shape):
    """The number of elements of the known sizes of `shape` (0 for None)."""
    return 0 if shape is None else math.prod(d for d in shape if d is not None)


def _tagged(model):
    """A copy of `model` whose node names are their indices, for ONNX's
    messages to lead back to the node."""
    tagged = onnx.ModelProto()
    tagged.CopyFrom(model)
    for index, node in enumerate(tagged.graph.node):
        node.name = f"{_TAG}{index}"
    return tagged


def _elem_name(elem):
    """ONNX's name of an element type in type constraints: tensor(float)."""
    if elem in TensorProto.DataType.values():
        return TensorProto.DataType.Name(elem).lower()
    return str(elem)


def _arity(low, high):
    if high >= 2 ** 31 - 1:
        return f"at least {low}"
    return str(low) if low == high else f"{low} to {high}"


def _attr_type(t):
    return AttributeProto.AttributeType.Name(int(t)) \
        if int(t) in AttributeProto.AttributeType.values() else str(int(t))


def _shape(tp):
    """A tensor type's shape with None for unknown sizes; None if the rank is
    unknown. Sizes <= 0 count as unknown (graph inputs use them for dynamic
    dimensions)."""
    if not tp.HasField("tensor_type") or not tp.tensor_type.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None
            for d in tp.tensor_type.shape.dim]


def validate(model, supported, bindings=None):
    """Raises ImportError_ for the first problem of `model`; `supported` is
    the set of op types the importer converts or evaluates."""
    Validator(model, supported, bindings).run()


def validate_folded(model, opset, shapes, consts, bindings=None):
    """The op constraints and strict shape inference again, on `model` after
    the importer folded its constant subgraphs: shapes and operands computed
    from constants (a Reshape's target, a weight made by ConstantOfShape) are
    known now. `shapes` maps names to shapes with None for unknown sizes,
    `consts` names to arrays."""
    v = Validator(model, None, bindings)
    v.opset = opset
    v.shapes = dict(shapes)
    v.shapes.update((n, list(np.shape(a))) for n, a in consts.items())
    v.consts = consts
    v.check_ops(model, types=False)
    tagged = _tagged(model)
    if tagged.ir_version < 4:
        # Before IR 4 ONNX sees only the initializers that are also graph
        # inputs; folded values are initializers now.
        inputs = {i.name for i in tagged.graph.input}
        tagged.graph.input.extend(
            helper.make_tensor_value_info(i.name, i.data_type, i.dims)
            for i in tagged.graph.initializer if i.name not in inputs)
    v.strict_inference(tagged)
