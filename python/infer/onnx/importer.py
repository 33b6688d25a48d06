"""ONNX -> infer dialect (textual MLIR): the driver.

    infer-import-onnx model.onnx -o model.mlir [--batch-size N]
                      [--input-shape INPUT=DIMS ...] [--bind INPUT=values.npy ...]

The graph becomes `func.func @main` taking the graph inputs and returning the
graph outputs in ONNX order. Initializers and constants are `infer.constant`s:
splats and small tensors as `dense` literals, the rest as `dense_resource`
blobs. Subgraphs that compute shapes from constants (Shape, Gather, Concat,
ConstantOfShape...) are evaluated here, so reshapes get constant shapes.

The model is validated before anything is emitted (see validate.py): an
invalid model, an op or attribute the dialect does not cover stops the import
with one error line naming the op type, the node, the opset and the attribute
or input at fault; all unsupported ops of a model are listed at once. Graph
input dimensions that are symbolic, missing, -1 or 0 are dynamic (`?`), unless
--input-shape (or --batch-size, for the leading one) fixes them.
Exceptions other than ImportError_ are bugs of the importer.

This module holds the Importer (the state of one import: types, constants,
SSA values, emission), the fold/infer loop, import_model() and the command
line. The converters live in the package infer.onnx.ops, one module per op
family, registered by op type and opset (ops/registry.py); the names they
export are re-exported here for `from infer.onnx.importer import ...`.
"""
import argparse
import operator
import os
import re
import sys

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import AttributeProto, TensorProto, numpy_helper, helper

from infer.onnx.errors import ImportError_, NeedsConstant, Unsupported, node_label
import infer.onnx.ops  # noqa: F401 - registers every converter and folder
from infer.onnx.ops.control import expand_control_flow
from infer.onnx.ops.nodes import convert_nodes
from infer.onnx.ops.folding import (FOLD_MAX_ELEMENTS, FOLDABLE, NUMPY_FOLDERS,  # noqa: F401
                                    fold_dequantize, fold_numpy)
from infer.onnx.ops.quantized import (QUANTIZED_CONSUMERS, RAW_I8, RAW_U8,  # noqa: F401
                                      bind_raw_u8, is_raw, quant_type)
from infer.onnx.ops.registry import (CONVERTERS, ELEMENT_TYPES, F32_MAX, FLOATS,  # noqa: F401
                                     FOLDERS, INT64_MAX, NUMPY_TYPES, NonFinite,
                                     array_attr, broadcast, converter, f32_attr, flt,
                                     folder, is_splat_view, lookup, mlir_string, simple,
                                     tensor_type)
from infer.onnx.ops.functions import expand_functions
from infer.onnx.validate import infer_shapes, validate, validate_folded


class Importer:
    def __init__(self, model, bindings=None, parent=None):
        # A subgraph (If branch, Loop body) imported as a region is a child
        # Importer: its SSA names come from the root's counter, its
        # resources go to the root, and the values it reads from enclosing
        # scopes (`outer`) are the parent's (see ops/control.py).
        self.parent = parent
        self.outer = set()
        self.opset = next((o.version for o in model.opset_import
                           if o.domain in ("", "ai.onnx")), 1)
        self.bindings = bindings or {}
        self.types = {}
        self.consts = {}
        self.ssa = {}
        self.location = None  # the ONNX node being converted
        self.lines = []
        self.resources = []
        self.quant_types = {}  # quantized values -> their !quant tensor type
        self.shapes = {}  # shapes of values whose element type has no type here
        self.counter = 0
        for init in model.graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)
        for name, array in self.bindings.items():
            self.consts[name] = np.asarray(array)
        # Shape inference and constant folding feed each other (a Reshape's
        # shape is known once its Shape/Gather/Concat subgraph is folded):
        # alternate until nothing more folds.
        # Ifs on conditions that became constants are replaced by the branch
        # taken, small constant Loops unrolled (ops/control.py).
        for _ in range(64):
            self.graph = model.graph
            self.infer_types(model)
            folded = self.fold_pass()
            if folded:
                model = self.without(model, folded)
            expanded = expand_control_flow(self, model)
            if expanded is not None:
                model = expanded
            elif not folded:
                break
        if parent is not None:
            self.resources = parent.resources
        self.model = model
        self.graph = model.graph

    def infer_types(self, model):
        try:
            model = infer_shapes(model)
        except Exception:  # noqa: BLE001 - a model ONNX cannot infer is still importable
            pass
        # ONNX leaves the result of a Reshape on a shape computed at run time
        # without a rank; the shape operand's length is that rank. Given it,
        # inference goes on past the reshape.
        for _ in range(8):
            repaired = rank_runtime_reshapes(model)
            if not repaired:
                break
            try:
                model = infer_shapes(repaired)
            except Exception:  # noqa: BLE001 - keep what ONNX inferred so far
                break
        for vi in list(model.graph.value_info) + list(model.graph.output) + \
                list(model.graph.input):
            t = self.type_from_proto(vi.type)
            if t is not None:
                self.types[vi.name] = t
            elif vi.type.tensor_type.HasField("shape"):
                # uint8 values (quantized activations) have a shape only.
                self.shapes[vi.name] = [
                    d.dim_value if d.HasField("dim_value") and d.dim_value >= 0 else None
                    for d in vi.type.tensor_type.shape.dim]

    def fold_pass(self):
        """Evaluates nodes whose inputs are all constants; returns their
        indices."""
        folded = set()
        for index, node in enumerate(self.graph.node):
            if node.op_type not in FOLDERS and node.op_type not in FOLDABLE:
                continue
            present = [self.consts.get(i) for i in node.input if i]
            if node.op_type not in ("Shape", "Size") and \
                    any(a is None for a in present):
                continue
            try:
                value = (FOLDERS[node.op_type](self, node, present)
                         if node.op_type in FOLDERS else fold_numpy(self, node, present))
            except Exception:  # noqa: BLE001 - left to the converters to report
                continue
            if value is None or len(node.output) != 1:
                continue
            self.consts[node.output[0]] = np.asarray(value)
            # Splat views stay nodes for shape inference: as initializers they
            # would be materialized.
            if not is_splat_view(self.consts[node.output[0]]):
                folded.add(index)
        return folded

    def without(self, model, folded):
        """A copy of `model` without the `folded` nodes, whose outputs become
        initializers."""
        model = onnx.ModelProto.FromString(model.SerializeToString())
        nodes = [n for i, n in enumerate(model.graph.node) if i not in folded]
        outputs = {o for i, n in enumerate(self.graph.node) if i in folded
                   for o in n.output}
        del model.graph.node[:]
        model.graph.node.extend(nodes)
        known = {i.name for i in model.graph.initializer}
        for name in outputs - known:
            model.graph.initializer.append(
                numpy_helper.from_array(self.consts[name], name))
        return model

    # ------------------------------------------------------------ types

    def type_from_proto(self, tp):
        if not tp.HasField("tensor_type"):
            return None
        tt = tp.tensor_type
        elem = ELEMENT_TYPES.get(tt.elem_type)
        if elem is None or not tt.HasField("shape"):
            return None
        # Negative sizes are unknown (models write -1 for dynamic ones).
        shape = [d.dim_value if d.HasField("dim_value") and d.dim_value >= 0
                 else None for d in tt.shape.dim]
        return elem, shape

    def fail(self, node, why, kind=None):
        return (kind or ImportError_)(f"{node_label(node, self.opset)}: {why}")

    def type_of(self, name, node=None):
        if name in self.consts:
            array = self.consts[name]
            elem = NUMPY_TYPES.get(array.dtype)
            if elem is None:
                raise ImportError_(f"constant '{name}' has unsupported dtype "
                                   f"{array.dtype}")
            return elem, list(array.shape)
        if name in self.types:
            return self.types[name]
        raise ImportError_(f"the type of '{name}' is unknown"
                           + (f" (output of {node.op_type} node "
                              f"'{node.name}')" if node else ""))

    def ttype(self, name, node=None):
        return tensor_type(*self.type_of(name, node))

    # --------------------------------------------------------- emission

    def fresh(self):
        root = self
        while root.parent is not None:
            root = root.parent
        root.counter += 1
        return f"%v{root.counter}"

    def literal(self, array, elem):
        def scalar(v):
            if elem == "i1":
                return "true" if v else "false"
            if elem in FLOATS:
                return flt(v)
            return str(int(v))
        if array.ndim == 0:
            return scalar(array.item())
        if array.size == 0:
            return ""  # dense<> : the nested [] of a 3x0x1 would read as 3x0

        def nest(a):
            if a.ndim == 1:
                return "[" + ", ".join(scalar(v) for v in a.tolist()) + "]"
            return "[" + ", ".join(nest(x) for x in a) + "]"
        return nest(array)

    def value(self, name, node=None):
        """The SSA value of `name`, materializing a constant on first use."""
        if name in self.ssa:
            return self.ssa[name]
        if name in self.outer:
            # A value of an enclosing scope (constants are materialized there).
            self.ssa[name] = self.parent.value(name, node)
            return self.ssa[name]
        if name not in self.consts:
            raise ImportError_(f"value '{name}' is used before it is defined"
                               + (f" (by {node.op_type} node '{node.name}')"
                                  if node else ""))
        array = np.asarray(self.consts[name])
        elem, shape = self.type_of(name)
        t = tensor_type(elem, shape)
        ssa = self.fresh()
        if is_splat_view(array):
            first = array.flat[0]
            splat = True
            finite = elem not in FLOATS or bool(np.isfinite(first))
        else:
            first = array.reshape(-1)[0] if array.size else None
            finite = elem not in FLOATS or bool(np.isfinite(array).all())
            splat = array.size > 0 and bool((array == first).all())
        if splat and finite:
            self.lines.append(f"  {ssa} = infer.constant dense<"
                              f"{self.literal(np.asarray(first), elem)}> : {t}")
        elif (array.size <= 16 and finite) or elem == "i1":
            self.lines.append(f"  {ssa} = infer.constant dense<"
                              f"{self.literal(array, elem)}> : {t}")
        else:
            key = re.sub(r"[^A-Za-z0-9_]", "_", name) or "c"
            key = f"r{len(self.resources)}_{key}"[:60]
            self.resources.append((key, np.ascontiguousarray(array)))
            self.lines.append(
                f"  {ssa} = infer.constant dense_resource<{key}> : {t}")
        self.ssa[name] = ssa
        return ssa

    def emit(self, op, operands, result_type, attrs="", node=None,
             unary=False):
        """Emits `op` on `operands` (names or (ssa, type) pairs)."""
        values, types = [], []
        for operand in operands:
            if isinstance(operand, tuple):
                values.append(operand[0])
                types.append(operand[1])
            else:
                values.append(self.value(operand, node))
                types.append(self.ttype(operand, node))
        ssa = self.fresh()
        attr_text = f" {{{attrs}}}" if attrs else ""
        if unary:
            sig = result_type
        elif op in ("infer.cast", "infer.quantize", "infer.dequantize"):
            sig = f"{types[0]} -> {result_type}"
        else:
            sig = f"({', '.join(types)}) -> {result_type}"
        loc = f' loc("{mlir_string(self.location)}")' if self.location else ""
        self.lines.append(
            f"  {ssa} = {op} {', '.join(values)}{attr_text} : {sig}{loc}")
        return ssa

    def bind(self, name, ssa, elem_shape):
        self.ssa[name] = ssa
        self.types[name] = elem_shape

    # ------------------------------------------------------------ helpers

    def attr(self, node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return helper.get_attribute_value(a)
        return default

    def input(self, node, i):
        return node.input[i] if i < len(node.input) and node.input[i] else None

    def const_input(self, node, i, what):
        name = self.input(node, i)
        if name is None:
            return None
        if name not in self.consts:
            raise NeedsConstant(str(self.fail(
                node, f"input {i} ({what}) must be a constant")), name)
        return np.asarray(self.consts[name])

    def out_type(self, node, i=0):
        return self.type_of(node.output[i], node)

    def only_first_output(self, node, why, kind=None):
        """Fails if an output other than the first is used."""
        used = {i for n in self.graph.node for i in n.input}
        used |= {o.name for o in self.graph.output}
        if any(o and o in used for o in node.output[1:]):
            raise self.fail(node, why, kind)


def _dims_text(dims):
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


def _graphs(graph):
    """`graph` and its subgraphs (attributes of If, Loop, Scan...)."""
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == AttributeProto.GRAPH:
                yield from _graphs(a.g)
            elif a.type == AttributeProto.GRAPHS:
                for g in a.graphs:
                    yield from _graphs(g)


def _unknown_dims(model):
    """The dimensions of `model` that mean "unknown" but are written as a
    size: -1 or 0 on graph inputs and outputs (exporters write either for a
    dynamic size), negative ones anywhere else (value_info, subgraphs)."""
    def sized(values, limit):
        for vi in values:
            if vi.type.HasField("tensor_type"):
                for d in vi.type.tensor_type.shape.dim:
                    if d.HasField("dim_value") and d.dim_value <= limit:
                        yield d
    top = model.graph
    yield from sized(list(top.input) + list(top.output), 0)
    yield from sized(top.value_info, -1)
    for g in list(_graphs(top))[1:]:
        yield from sized(list(g.input) + list(g.output) + list(g.value_info), -1)


def input_dims(name, dims):
    """The dimensions given for graph input `name` (--input-shape): sizes,
    with None for a dynamic one ('?', None or a size <= 0)."""
    out = []
    for d in dims:
        if d is None or d == "?":
            out.append(None)
            continue
        try:
            d = operator.index(d)
        except TypeError:
            raise ImportError_(f"--input-shape {name}: dimension {len(out)} is {d!r}, "
                               "expected a size or '?'") from None
        out.append(d if d > 0 else None)
    return out


def check_input_shapes(model, input_shapes):
    """`input_shapes` ({graph input: dims}) with its dims normalized by
    input_dims; ImportError_ for an input the graph lacks, a rank or a size
    that contradicts the model."""
    inputs = {i.name: i for i in model.graph.input}
    initializers = {i.name for i in model.graph.initializer}
    checked = {}
    for name, dims in input_shapes.items():
        if name not in inputs:
            raise ImportError_(f"--input-shape {name}: the graph has no input '{name}'")
        if name in initializers:
            raise ImportError_(f"--input-shape {name}: '{name}' is an initializer, "
                               "not a graph input")
        tp = inputs[name].type
        if not tp.HasField("tensor_type"):
            raise ImportError_(f"--input-shape {name}: the input is not a tensor")
        dims = input_dims(name, dims)
        tt = tp.tensor_type
        if tt.HasField("shape"):
            declared = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0
                        else None for d in tt.shape.dim]
            if len(declared) != len(dims):
                raise ImportError_(
                    f"--input-shape {name}: {_dims_text(dims)} has {len(dims)} "
                    f"dimensions, the input {_dims_text(declared)} has {len(declared)}")
            for i, (want, have) in enumerate(zip(dims, declared)):
                if want is not None and have is not None and want != have:
                    raise ImportError_(
                        f"--input-shape {name}: dimension {i} is {want}, the input "
                        f"{_dims_text(declared)} has {have}")
        checked[name] = dims
    return checked


def fix_dims(model, batch_size=None, input_shapes=None):
    """`model`, or a copy of it where
    - dimensions that stand for unknown sizes are unknown (see _unknown_dims);
    - the graph inputs of `input_shapes` ({name: dims}, checked by
      check_input_shapes) have those sizes where given;
    - with `batch_size`, an unknown leading dimension of each graph input is
      that size.
    Validation and shape inference then see the sizes."""
    input_shapes = check_input_shapes(model, input_shapes or {})
    if next(_unknown_dims(model), None) is None and not input_shapes and \
            batch_size is None:
        return model
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for d in list(_unknown_dims(copy)):
        d.Clear()
    inputs = {i.name: i for i in copy.graph.input}
    for name, dims in input_shapes.items():
        shape = inputs[name].type.tensor_type.shape
        if not len(shape.dim):
            for _ in dims:
                shape.dim.add()
        for d, size in zip(shape.dim, dims):
            if size is not None:
                d.Clear()
                d.dim_value = size
    if batch_size is not None:
        initializers = {i.name for i in copy.graph.initializer}
        for vi in copy.graph.input:
            dims = vi.type.tensor_type.shape.dim
            if vi.name not in initializers and len(dims) and \
                    not dims[0].HasField("dim_value"):
                dims[0].Clear()
                dims[0].dim_value = batch_size
    return copy


def parse_input_shape(spec):
    """`INPUT=DIMS` (DIMS like 1x3x224x224, '?' for a dynamic size) ->
    (INPUT, dims)."""
    name, sep, text = spec.rpartition("=")
    if not sep or not name or not re.fullmatch(r"(\?|-?\d+)(x(\?|-?\d+))*", text):
        raise ImportError_(f"--input-shape {spec}: expected INPUT=DIMS, DIMS like "
                           "1x3x224x224 ('?' for a dynamic size)")
    return name, [d if d == "?" else int(d) for d in text.split("x")]


def rank_runtime_reshapes(model):
    """A copy of `model` where each Reshape output ONNX gave no shape has one
    of the rank its shape operand's (static) length says, with unknown
    sizes; None if there is none."""
    graph = model.graph
    infos = {vi.name: vi for vi in list(graph.value_info) + list(graph.output) +
             list(graph.input)}
    initializers = {i.name: i for i in graph.initializer}
    ranks = {}
    for node in graph.node:
        if node.op_type != "Reshape" or len(node.input) < 2 or not node.output:
            continue
        out = infos.get(node.output[0])
        if out is not None and out.type.tensor_type.HasField("shape"):
            continue
        if node.input[1] in initializers:
            dims = list(initializers[node.input[1]].dims)
        else:
            shape = infos.get(node.input[1])
            if shape is None or not shape.type.tensor_type.HasField("shape"):
                continue
            dims = [d.dim_value if d.HasField("dim_value") else None
                    for d in shape.type.tensor_type.shape.dim]
        data = infos.get(node.input[0])
        if len(dims) != 1 or not dims[0] or data is None:
            continue
        ranks[node.output[0]] = (data.type.tensor_type.elem_type, dims[0])
    if not ranks:
        return None
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for vi in list(copy.graph.value_info) + list(copy.graph.output):
        if vi.name in ranks:
            elem, rank = ranks.pop(vi.name)
            vi.type.tensor_type.elem_type = elem
            vi.type.tensor_type.shape.dim.extend(
                [onnx.TensorShapeProto.Dimension() for _ in range(rank)])
    for name, (elem, rank) in ranks.items():
        copy.graph.value_info.append(
            helper.make_tensor_value_info(name, elem, [None] * rank))
    return copy


def supported_ops():
    """The op types the importer converts or evaluates at import time."""
    return set(CONVERTERS) | set(FOLDERS) | FOLDABLE


def import_model(model, bindings=None, batch_size=None, input_shapes=None):
    """Returns the MLIR text of `model` (an onnx.ModelProto); raises
    ImportError_ for a model that is invalid or outside the dialect.
    `bindings` maps graph inputs to constant values (--bind), `input_shapes`
    graph inputs to their dimensions (--input-shape; a None, '?' or
    non-positive dimension stays dynamic), `batch_size` fixes a dynamic
    leading dimension of the other graph inputs."""
    model = fix_dims(model, batch_size, input_shapes)
    # Ops without a converter that ONNX defines as functions become the
    # function's nodes (ops/functions.py).
    model = expand_functions(model, supported_ops(), bindings)
    validate(model, supported_ops(), bindings)
    imp = Importer(model, bindings)
    validate_folded(imp.model, imp.opset, {n: s for n, (_, s) in imp.types.items()},
                    imp.consts, bindings)
    graph = imp.graph

    args = []
    for i, inp in enumerate(graph.input):
        if inp.name in imp.consts:
            continue
        t = imp.type_from_proto(inp.type)
        tt = inp.type.tensor_type
        consumers = {n.op_type for n in graph.node if inp.name in n.input}
        if inp.type.HasField("tensor_type") and tt.elem_type == TensorProto.UINT8 \
                and tt.HasField("shape") and consumers and \
                consumers <= QUANTIZED_CONSUMERS - {"Cast"}:
            # uint8 that only quantized ops read: its bytes, as a raw
            # quantized tensor.
            shape = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0
                     else None for d in tt.shape.dim]
            ssa = f"%arg{len(args)}"
            t = bind_raw_u8(imp, inp.name, ssa, shape)
            args.append(f'{ssa}: {t} {{infer.name = "{mlir_string(inp.name)}"}}')
            continue
        if t is None:
            raise ImportError_(f"graph input '{inp.name}' has an unsupported or "
                               "unknown type")
        elem, shape = t
        ssa = f"%arg{len(args)}"
        imp.bind(inp.name, ssa, (elem, shape))
        args.append(f'{ssa}: {tensor_type(elem, shape)} '
                    f'{{infer.name = "{mlir_string(inp.name)}"}}')

    convert_nodes(imp, graph.node, f"only {', '.join(sorted(QUANTIZED_CONSUMERS))} "
                  "take such inputs")

    imp.location = None
    results, types = [], []
    for out in graph.output:
        results.append(imp.value(out.name))
        qts = imp.quant_types
        types.append(qts.get(out.name) or imp.ttype(out.name))
    lines = [f"func.func @main({', '.join(args)}) -> ({', '.join(types)}) {{"]
    lines += imp.lines
    lines.append(f"  return {', '.join(results)} : {', '.join(types)}")
    lines.append("}")
    if imp.resources:
        lines += ["", "{-#", "  dialect_resources: {", "    builtin: {"]
        for i, (key, array) in enumerate(imp.resources):
            data = array.astype(array.dtype.newbyteorder("<")).tobytes()
            align = max(array.dtype.itemsize, 1)
            blob = align.to_bytes(4, "little") + data
            comma = "," if i + 1 < len(imp.resources) else ""
            lines.append(f'      {key}: "0x{blob.hex().upper()}"{comma}')
        lines += ["    }", "  }", "#-}"]
    return "\n".join(lines) + "\n"


def load(path):
    """The model in `path`; ImportError_ if it is not an ONNX model."""
    try:
        if os.path.getsize(path) == 0:
            raise ImportError_("the file is empty (not an ONNX model)")
        return onnx.load(path)
    except (ImportError_, OSError):
        raise
    except DecodeError as e:
        raise ImportError_(f"not an ONNX model (the protobuf does not parse: {e})") \
            from None
    except Exception as e:  # noqa: BLE001 - whatever onnx.load finds in the file
        raise ImportError_(f"cannot load the model: {type(e).__name__}: {e}") from None


def load_binding(spec):
    """`INPUT=FILE.npy` -> (INPUT, values)."""
    name, _, path = spec.partition("=")
    if not name or not path:
        raise ImportError_(f"--bind {spec}: expected INPUT=FILE.npy")
    try:
        return name, np.load(path)
    except OSError:
        raise
    except Exception as e:  # noqa: BLE001 - not a .npy file
        raise ImportError_(f"--bind {name}: cannot read {path}: "
                           f"{type(e).__name__}: {e}") from None


def main(argv=None):
    """The command line. Returns 0, or 1 after printing one error line;
    an exception escapes only for a bug of the importer."""
    parser = argparse.ArgumentParser(
        prog="infer-import-onnx", description="Import an ONNX model into the infer dialect.")
    parser.add_argument("model", help="model.onnx")
    parser.add_argument("-o", "--output", default="-", help="output .mlir (default: stdout)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="fix a dynamic leading input dimension to N")
    parser.add_argument("--input-shape", action="append", default=[],
                        metavar="INPUT=DIMS",
                        help="fix the dimensions of a graph input, e.g. "
                        "x=1x3x224x224 ('?' keeps one dynamic); repeatable")
    parser.add_argument("--bind", action="append", default=[], metavar="INPUT=FILE.npy",
                        help="treat a graph input as a constant with these values")
    args = parser.parse_args(argv)
    if args.batch_size is not None and args.batch_size < 1:
        parser.error(f"--batch-size must be positive, got {args.batch_size}")
    try:
        model = load(args.model)
        input_shapes = dict(parse_input_shape(s) for s in args.input_shape)
        bindings = dict(load_binding(b) for b in args.bind)
        text = import_model(model, bindings, args.batch_size, input_shapes)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            with open(args.output, "w") as f:
                f.write(text)
    except ImportError_ as e:
        message = " ".join(str(e).split())
        print(f"infer-import-onnx: error: {args.model}: {message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"infer-import-onnx: error: {e.filename or args.model}: "
              f"{e.strerror or e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
