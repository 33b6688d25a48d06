"""ONNX function expansion, as onnxruntime does it: a node whose op has no
converter but whose ONNX schema defines it as a function (Elu, Softsign,
ReduceL1, MeanVarianceNormalization, NegativeLogLikelihoodLoss...) is
replaced by the nodes of the function's body before the model is validated
and imported.

    model = expand_functions(model, supported_ops(), bindings)

- The body is the schema's function at the model's opset: a plain one
  (`get_function_with_opset_version`) or a context-dependent one, built from
  the node and the types of its inputs (`get_context_dependent_function_
  with_opset_version`; ONNX's shape inference gives the types).
- Each value of the body gets a fresh name, `<node>/<value>`; each body node
  is named `<node>/<op type>` (`_2`, `_3`... when repeated), so diagnostics
  and the MLIR locations still name the ONNX node the op came from. Formal
  inputs and outputs become the node's; an optional input the node does
  not give is the empty name in the body, as ONNX specifies. Attribute
  references (`ref_attr_name`) take the node's attribute, else the schema's
  default, else the attribute is left out. Subgraphs in a body (a Loop's)
  are renamed the same way.
- Expansion repeats on the body's nodes (Mish -> Softplus -> ..., Celu ->
  Elu -> ..., SoftmaxCrossEntropyLoss -> LogSoftmax, NegativeLogLikelihood-
  Loss), each round with the types shape inference finds for the new values.
  A node is expanded only if its expansion ends in ops the importer
  supports; otherwise it stays and validation names it as unsupported.
- Opsets: a body is written against the opset of its own opset_import. It
  is used as is where each of its ops has the same schema at that opset and
  at the model's (or a compatible one: the same inputs, outputs and
  attributes plus new ones); otherwise the node is not expanded. Where the
  op has a function only at a later opset than the model's (Elu at 6: its
  body exists from opset 18; ReduceL1 at 13: from ReduceL1-18, whose axes
  are an input), the model is raised to that opset first: its opset_import
  is rewritten when none of its other nodes' schemas change, else ONNX's
  version converter converts it. If some function op cannot be expanded at
  the raised opset the model keeps its own opset and only the ops whose
  bodies fit it are expanded.
- Subgraphs (If/Loop bodies) of the model are expanded too.

The model as written is validated first (treating the function ops as
supported), so errors in it still name its own nodes at its own opset.
"""
import functools
import itertools
import math

import onnx
from onnx import AttributeProto, defs, helper, numpy_helper, shape_inference

DEFAULT_DOMAINS = ("", "ai.onnx")
# Expansion rounds of one node (nesting depth of functions in functions).
MAX_ROUNDS = 16
# Ops whose meaning changed at an opset without a change of signature: a
# body written before that opset does not fit a model at or after it.
SEMANTIC_BREAKS = {"Softmax": 13, "LogSoftmax": 13, "Hardmax": 13}
# Constants up to this many elements are given to shape inference by value
# (data propagation); larger ones by type only.
INFER_CONST_MAX_ELEMENTS = 4096


def _default_opset(model):
    versions = [o.version for o in model.opset_import if o.domain in DEFAULT_DOMAINS]
    return versions[0] if len(versions) == 1 else None


@functools.lru_cache(maxsize=None)
def _schema(op, opset):
    # A damaged model may carry an op type that is not text (protobuf hands
    # invalid UTF-8 over as bytes): no schema has it.
    if not isinstance(op, str):
        return None
    try:
        return defs.get_schema(op, opset, "")
    except defs.SchemaError:
        return None


def _has_body(schema, opset):
    versions = list(schema.function_opset_versions) + \
        list(schema.context_dependent_function_opset_versions)
    return any(v <= opset for v in versions)


@functools.lru_cache(maxsize=None)
def function_opset(op, opset):
    """The lowest opset >= `opset` at which ONNX defines `op` (of the default
    domain) by a function; None if it never does."""
    for target in range(opset, defs.onnx_opset_version() + 1):
        schema = _schema(op, target)
        if schema is None or schema.deprecated:
            return None
        if _has_body(schema, target):
            return target
    return None


def expandable(op, opset):
    """Whether expand_functions can replace `op` at `opset` by a function
    body (if the body's ops are supported)."""
    return function_opset(op, opset) is not None


def _graphs(graph):
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == AttributeProto.GRAPH:
                yield from _graphs(a.g)
            elif a.type == AttributeProto.GRAPHS:
                for g in a.graphs:
                    yield from _graphs(g)


def _is_candidate(node, supported, opset):
    return node.domain in DEFAULT_DOMAINS and node.op_type not in supported and \
        function_opset(node.op_type, opset) is not None


def _same_schema(op, old, new):
    """Whether a node of `op` means the same at opsets `old` and `new`."""
    a, b = _schema(op, old), _schema(op, new)
    return a is not None and b is not None and a.since_version == b.since_version


def _fits(op, old, new):
    """Whether a body node of `op` written at opset `old` can be read at
    `new`: the same schema, or one that only adds attributes (and types)."""
    if _same_schema(op, old, new):
        return True
    a, b = _schema(op, old), _schema(op, new)
    if a is None or b is None or b.deprecated:
        return False
    brk = SEMANTIC_BREAKS.get(op)
    if brk is not None and min(old, new) < brk <= max(old, new):
        return False
    return [i.name for i in a.inputs] == [i.name for i in b.inputs] and \
        [o.name for o in a.outputs] == [o.name for o in b.outputs] and \
        set(a.attributes) <= set(b.attributes)


# ------------------------------------------------------------------ types


def _collect_types(model, types):
    """Adds the TypeProtos ONNX's shape inference finds in `model` (all its
    graphs) to `types`."""
    try:
        inferred = shape_inference.infer_shapes(model, data_prop=True)
    except Exception:  # noqa: BLE001 - what inference gets is enough
        inferred = model
    for g in _graphs(inferred.graph):
        for vi in list(g.input) + list(g.output) + list(g.value_info):
            if vi.type.WhichOneof("value") is not None:
                types.setdefault(vi.name, vi.type)
        for init in g.initializer:
            types.setdefault(init.name, helper.make_tensor_type_proto(
                init.data_type, list(init.dims)))


def _constants(model, bindings):
    """Initializers, Constant outputs and bound inputs of all graphs:
    name -> TensorProto."""
    consts = {}
    for g in _graphs(model.graph):
        for init in g.initializer:
            consts[init.name] = init
        for node in g.node:
            if node.op_type == "Constant" and len(node.output) == 1:
                for a in node.attribute:
                    if a.name == "value" and a.type == AttributeProto.TENSOR:
                        t = onnx.TensorProto()
                        t.CopyFrom(a.t)
                        t.name = node.output[0]
                        consts[node.output[0]] = t
    for name, array in (bindings or {}).items():
        try:
            consts[name] = numpy_helper.from_array(array, name)
        except Exception:  # noqa: BLE001 - validation reports the binding
            pass
    return consts


def _infer_nodes(nodes, opset, types, consts):
    """Types of the values `nodes` compute, from the known `types` of their
    inputs (and constant values)."""
    produced = {o for n in nodes for o in n.output if o}
    inputs, inits, seen = [], [], set()
    for n in nodes:
        for name in n.input:
            if not name or name in produced or name in seen:
                continue
            seen.add(name)
            if name in consts and \
                    math.prod(consts[name].dims) <= INFER_CONST_MAX_ELEMENTS:
                inits.append(consts[name])
            vi = onnx.ValueInfoProto(name=name)
            if name in types:
                vi.type.CopyFrom(types[name])
            inputs.append(vi)
    outputs = [onnx.ValueInfoProto(name=o) for n in nodes for o in n.output if o]
    graph = helper.make_graph(nodes, "expand", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    _collect_types(model, types)


# --------------------------------------------------------------- inlining


class _Names:
    """Fresh value and node names, unique in the model."""

    def __init__(self, used):
        self.used = set(used)

    def fresh(self, base):
        name = base
        for k in itertools.count(2):
            if name not in self.used:
                break
            name = f"{base}_{k}"
        self.used.add(name)
        return name


def _prefix(node):
    return node.name or next((o for o in node.output if o), node.op_type)


def _body(node, opset, types):
    """The FunctionProto of `node` at `opset` (the function of the latest
    version <= opset that ONNX builds), and the op's schema; (None, None)
    if there is none."""
    schema = _schema(node.op_type, opset)
    if schema is None:
        return None, None
    plain = sorted((v for v in schema.function_opset_versions if v <= opset), reverse=True)
    dependent = sorted((v for v in schema.context_dependent_function_opset_versions
                        if v <= opset), reverse=True)
    input_types = [(types[i] if i in types else onnx.TypeProto()).SerializeToString()
                   for i in node.input]
    for version in sorted(set(plain) | set(dependent), reverse=True):
        try:
            if version in plain:
                data = schema.get_function_with_opset_version(version)
            else:
                data = schema.get_context_dependent_function_with_opset_version(
                    version, node.SerializeToString(), input_types)
        except Exception:  # noqa: BLE001 - no body for this node (unknown types...)
            data = None
        if data:
            body = onnx.FunctionProto.FromString(data) if isinstance(data, bytes) else data
            return body, schema
    return None, None


def _body_opset(body):
    return next((o.version for o in body.opset_import if o.domain in DEFAULT_DOMAINS),
                None)


def _resolve_attributes(attributes, values):
    """`attributes` (repeated AttributeProto) with references resolved
    against `values` (name -> AttributeProto); unresolved ones left out."""
    out = []
    for a in attributes:
        if a.ref_attr_name:
            ref = values.get(a.ref_attr_name)
            if ref is None:
                continue
            resolved = AttributeProto()
            resolved.CopyFrom(ref)
            resolved.name = a.name
            resolved.ClearField("ref_attr_name")
            out.append(resolved)
        else:
            out.append(a)
    return out


def _rename_node(node, rename, values):
    """Renames inputs and outputs of `node` (in place) and of its
    subgraphs, and resolves attribute references."""
    for i, name in enumerate(node.input):
        node.input[i] = rename(name) if name else ""
    for i, name in enumerate(node.output):
        node.output[i] = rename(name) if name else ""
    attributes = _resolve_attributes(node.attribute, values)
    for a in attributes:
        if a.type == AttributeProto.GRAPH:
            _rename_graph(a.g, rename, values)
        elif a.type == AttributeProto.GRAPHS:
            for g in a.graphs:
                _rename_graph(g, rename, values)
    del node.attribute[:]
    node.attribute.extend(attributes)


def _rename_graph(graph, rename, values):
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        vi.name = rename(vi.name)
    for init in graph.initializer:
        init.name = rename(init.name)
    for n in graph.node:
        _rename_node(n, rename, values)


def _inline(node, body, schema, names):
    """The nodes of `body` standing for `node`."""
    prefix = _prefix(node)
    mapping = {}
    for i, formal in enumerate(body.input):
        mapping[formal] = node.input[i] if i < len(node.input) else ""
    for i, formal in enumerate(body.output):
        mapping[formal] = node.output[i] if i < len(node.output) and node.output[i] \
            else names.fresh(f"{prefix}/{formal}")

    def rename(name):
        if name not in mapping:
            mapping[name] = names.fresh(f"{prefix}/{name}")
        return mapping[name]

    values = {}
    for name, formal in schema.attributes.items():
        if formal.default_value.type != AttributeProto.UNDEFINED:
            values[name] = formal.default_value
    for a in body.attribute_proto:
        values[a.name] = a
    for a in node.attribute:
        values[a.name] = a
    nodes, counts = [], {}
    for b in body.node:
        n = onnx.NodeProto()
        n.CopyFrom(b)
        _rename_node(n, rename, values)
        counts[b.op_type] = counts.get(b.op_type, 0) + 1
        suffix = "" if counts[b.op_type] == 1 else f"_{counts[b.op_type]}"
        n.name = f"{prefix}/{b.op_type}{suffix}"
        nodes.append(n)
    return nodes


def _expand_node(node, opset, supported, types, consts, names, needs):
    """The supported nodes `node` expands to, or None. A function op in a
    body whose function exists only at a later opset adds that opset to
    `needs`."""
    nodes = [node]
    for _ in range(MAX_ROUNDS):
        out, changed = [], False
        for n in nodes:
            if not _is_candidate(n, supported, opset):
                out.append(n)
                continue
            body, schema = _body(n, opset, types)
            if body is None:
                later = function_opset(n.op_type, opset)
                if later is not None and later > opset:
                    needs.add(later)
                return None
            written = _body_opset(body) or opset
            if any(b.domain not in DEFAULT_DOMAINS or not _fits(b.op_type, written, opset)
                   for b in body.node):
                return None
            out.extend(_inline(n, body, schema, names))
            changed = True
        nodes = out
        if not changed:
            break
        _infer_nodes(nodes, opset, types, consts)
    if all(n.domain in DEFAULT_DOMAINS and n.op_type in supported for n in nodes):
        return nodes
    return None


def _used_names(model):
    names = set()
    for g in _graphs(model.graph):
        for vi in list(g.input) + list(g.output) + list(g.value_info):
            names.add(vi.name)
        names.update(i.name for i in g.initializer)
        for n in g.node:
            names.update(n.input)
            names.update(n.output)
            names.add(n.name)
    return names


def _expand_at(model, opset, supported, bindings):
    """Expands the function ops of `model` (a copy, changed in place) at
    `opset`; returns how many stayed and the opsets nested function ops
    would need."""
    types, consts = {}, _constants(model, bindings)
    _collect_types(model, types)
    names = _Names(_used_names(model))
    left, needs = 0, set()
    for g in list(_graphs(model.graph)):
        nodes, changed = [], False
        for node in g.node:
            if not _is_candidate(node, supported, opset):
                nodes.append(node)
                continue
            expanded = _expand_node(node, opset, supported, types, consts, names, needs)
            if expanded is None:
                left += 1
                nodes.append(node)
            else:
                nodes.extend(expanded)
                changed = True
        if changed:
            copies = []
            for n in nodes:
                c = onnx.NodeProto()
                c.CopyFrom(n)
                copies.append(c)
            del g.node[:]
            g.node.extend(copies)
    return left, needs


def _raised(model, opset, target):
    """`model` at opset `target`: its opset_import rewritten if no node's
    schema changes between the two, else converted by ONNX's version
    converter. None if the conversion fails."""
    ops = {n.op_type for g in _graphs(model.graph) for n in g.node
           if n.domain in DEFAULT_DOMAINS}
    if all(_same_schema(op, opset, target) for op in ops):
        copy = onnx.ModelProto()
        copy.CopyFrom(model)
        for o in copy.opset_import:
            if o.domain in DEFAULT_DOMAINS:
                o.version = target
        return copy
    try:
        from onnx import version_converter
        return version_converter.convert_version(model, target)
    except Exception:  # noqa: BLE001 - the converter lacks an adapter
        return None


def _with_defaults(model, supported, opset):
    """A copy of `model` whose function ops spell out their attributes'
    default values: ONNX's shape inference of a function op expands its body
    without them (MeanVarianceNormalization-13's axes)."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for g in _graphs(copy.graph):
        for node in g.node:
            if not _is_candidate(node, supported, opset):
                continue
            schema = _schema(node.op_type, opset)
            given = {a.name for a in node.attribute}
            for name, formal in schema.attributes.items():
                if name not in given and \
                        formal.default_value.type != AttributeProto.UNDEFINED:
                    node.attribute.append(formal.default_value)
    return copy


def expand_functions(model, supported, bindings=None):
    """`model` with its function ops replaced by their bodies (see the
    module's doc); `model` itself if it has none. `supported` is the set of
    op types the importer converts or evaluates."""
    opset = _default_opset(model)
    if opset is None or not 1 <= opset <= defs.onnx_opset_version():
        return model
    candidates = {n.op_type for g in _graphs(model.graph) for n in g.node
                  if _is_candidate(n, supported, opset)}
    if not candidates:
        return model
    from infer.onnx.validate import validate
    validate(_with_defaults(model, supported, opset), set(supported) | candidates, bindings)
    # The lowest opset at which every function op has a body: the model's,
    # or a later one it is raised to (also when a body's own function ops
    # need one).
    target = max(function_opset(op, opset) for op in candidates)
    tried, partial = set(), None
    while target not in tried:
        tried.add(target)
        if target == opset:
            work = onnx.ModelProto()
            work.CopyFrom(model)
        else:
            work = _raised(model, opset, target)
            if work is None:
                break
        left, needs = _expand_at(work, target, supported, bindings)
        if not left:
            return work
        if target == opset:
            partial = work
        if not needs or max(needs) <= target:
            break
        target = max(needs)
    # Otherwise what fits the model's own opset.
    if partial is None:
        partial = onnx.ModelProto()
        partial.CopyFrom(model)
        _expand_at(partial, opset, supported, bindings)
    return partial
