"""Control flow: If and Loop.

At import time, while constants fold (Importer.__init__ calls
expand_control_flow after each fold pass):
- an If whose condition is a constant (folded, or a graph input bound with
  --bind) is replaced by the nodes of the branch it takes; the branch's
  outputs become the If's outputs (Identity nodes);
- a Loop with a constant trip count M <= UNROLL_MAX whose condition is absent
  or constant true and whose body passes its condition through unchanged
  (cond_out is cond_in, an Identity of it or a constant true) is unrolled:
  M copies of the body, each value renamed `name#k`, the iteration number a
  constant; scan outputs are the per-iteration values unsqueezed and
  concatenated.
Everything downstream (folding, shape inference, the converters) then sees
a flat graph.

What remains is converted here into the scf dialect:
- If: `scf.if` on the condition (`tensor.extract` of the i1 scalar); each
  branch is imported as a region (a child Importer, see import_region); when
  the branches' result types differ, each yields the common, more dynamic
  type (`tensor.cast`).
- Loop: `scf.for` (trip count M, condition always true) or `scf.while`
  (a condition, or no trip count) over i64 iteration numbers. Loop-carried
  values must keep one static type; each iteration's value is copied into
  the loop's buffer (bufferization.alloc_tensor + materialize_in_destination:
  the pipeline's bufferization wants loop results equivalent to their
  iteration arguments). Scan outputs need a trip count: they are inserted
  into a [M, ...] buffer and sliced to the iterations that ran.
Sequence- or optional-typed values are out of scope and fail naming the node.
"""
import numpy as np
import onnx
from onnx import AttributeProto, helper, numpy_helper

from infer.onnx.errors import ImportError_, NeedsConstant, Unsupported
from infer.onnx.ops.folding import FOLDABLE
from infer.onnx.ops.nodes import convert_nodes
from infer.onnx.ops.registry import (CONVERTERS, ELEMENT_TYPES, FOLDERS, converter,
                                     mlir_string, tensor_type)

# Loops with a constant trip count up to this are unrolled.
UNROLL_MAX = 64


# ------------------------------------------------------------ graph walking

def subgraphs(node):
    """The graphs of `node`'s attributes (If's branches, Loop's body)."""
    for a in node.attribute:
        if a.type == AttributeProto.GRAPH:
            yield a.g
        elif a.type == AttributeProto.GRAPHS:
            yield from a.graphs


def attr_graph(node, name):
    for a in node.attribute:
        if a.name == name and a.type == AttributeProto.GRAPH:
            return a.g
    return None


def free_names(graph):
    """The names `graph` (and its nested graphs) reads from enclosing scopes,
    in order of first use."""
    defined = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    used = []
    for node in graph.node:
        reads = [i for i in node.input if i]
        for g in subgraphs(node):
            reads += free_names(g)
        used += [i for i in reads if i not in defined]
        defined.update(o for o in node.output if o)
    used += [o.name for o in graph.output if o.name not in defined]
    return list(dict.fromkeys(used))


def defined_names(graph):
    """Every name `graph` and its nested graphs define."""
    names = [i.name for i in graph.input] + [i.name for i in graph.initializer]
    for node in graph.node:
        names += [o for o in node.output if o]
        for g in subgraphs(node):
            names += defined_names(g)
    return names


def all_names(graph):
    names = set(defined_names(graph))
    for node in graph.node:
        names.update(node.input)
    names.update(o.name for o in graph.output)
    return names


def op_types(graph):
    """(op type, domain, node name) of every node, nested ones included."""
    for node in graph.node:
        yield node
        for g in subgraphs(node):
            yield from op_types(g)


def rename_graph(graph, mapping, node_suffix=""):
    """Renames, in place, every value name of `graph` (nested graphs too)
    found in `mapping`; named nodes get `node_suffix`."""
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        vi.name = mapping.get(vi.name, vi.name)
    for init in graph.initializer:
        init.name = mapping.get(init.name, init.name)
    for node in graph.node:
        rename_node(node, mapping, node_suffix)


def rename_node(node, mapping, node_suffix=""):
    for i, name in enumerate(node.input):
        node.input[i] = mapping.get(name, name)
    for i, name in enumerate(node.output):
        node.output[i] = mapping.get(name, name)
    if node.name and node_suffix:
        node.name += node_suffix
    for g in subgraphs(node):
        rename_graph(g, mapping, node_suffix)


def is_tensor_type(tp):
    return tp.HasField("tensor_type")


def check_supported(imp, node, graph, what):
    """Fails naming the ops of `graph` (nested ones too) that the importer
    does not cover."""
    supported = set(CONVERTERS) | set(FOLDERS) | FOLDABLE
    bad = [f"{n.op_type} (node '{n.name or (n.output[0] if len(n.output) else '?')}')"
           for n in op_types(graph)
           if n.domain not in ("", "ai.onnx") or n.op_type not in supported]
    if bad:
        sequences = [b for b in bad if b.startswith(("Sequence", "Optional"))]
        why = " (sequences and optionals are not supported)" if sequences else ""
        raise imp.fail(node, f"{what} uses unsupported ONNX ops{why}: "
                       + ", ".join(dict.fromkeys(bad)), Unsupported)


# ------------------------------------------------- expansion at import time

def expand_control_flow(imp, model):
    """A copy of `model` with its Ifs on constant conditions replaced by the
    branch taken and its small constant Loops unrolled; None if there is
    none. New constants go into imp.consts too."""
    graph = model.graph
    plans = []
    for index, node in enumerate(graph.node):
        if node.domain not in ("", "ai.onnx"):
            continue
        if node.op_type == "If":
            cond = imp.consts.get(node.input[0])
            if cond is not None and np.asarray(cond).size == 1:
                plans.append((index, "if", bool(np.asarray(cond).reshape(-1)[0])))
        elif node.op_type == "Loop":
            trips = loop_trip_count(imp, node)
            if trips is not None:
                plans.append((index, "loop", trips))
    if not plans:
        return None
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    taken = all_names(copy.graph)
    old_nodes = list(copy.graph.node)
    nodes = []
    plan_of = {index: (kind, arg) for index, kind, arg in plans}
    for index, node in enumerate(old_nodes):
        if index not in plan_of:
            nodes.append(node)
            continue
        kind, arg = plan_of[index]
        if kind == "if":
            nodes += inline_branch(imp, copy, node, arg, taken)
        else:
            nodes += unroll_loop(imp, copy, node, arg, taken)
    del copy.graph.node[:]
    copy.graph.node.extend(nodes)
    return copy


def add_constant(imp, model, name, array):
    model.graph.initializer.append(numpy_helper.from_array(np.asarray(array), name))
    imp.consts[name] = np.asarray(array)


def fresh_name(taken, base):
    name = base
    while name in taken:
        name += "'"
    taken.add(name)
    return name


def inline_branch(imp, model, node, cond, taken):
    """The nodes of the branch of If `node` that `cond` selects, then
    Identity nodes onto the If's outputs."""
    branch = attr_graph(node, "then_branch" if cond else "else_branch")
    what = "then_branch" if cond else "else_branch"
    for vi in branch.output:
        if not is_tensor_type(vi.type) and vi.type.WhichOneof("value"):
            raise imp.fail(node, f"output '{vi.name}' of the {what} is not a tensor "
                           "(sequences and optionals are not supported)", Unsupported)
    check_supported(imp, node, branch, f"the {what}")
    if len(branch.output) != len(node.output):
        raise imp.fail(node, f"the {what} has {len(branch.output)} outputs, the If "
                       f"{len(node.output)}")
    body = onnx.GraphProto()
    body.CopyFrom(branch)
    # Names the branch defines that the enclosing graph uses too.
    outside = all_names(model.graph) - set(defined_names(branch))
    mapping = {n: fresh_name(taken, n) for n in defined_names(body) if n in outside}
    rename_graph(body, mapping)
    for init in body.initializer:
        add_constant(imp, model, init.name, numpy_helper.to_array(init))
    nodes = list(body.node)
    for out, result in zip(body.output, node.output):
        if result:
            nodes.append(helper.make_node("Identity", [out.name], [result],
                                          name=f"{node.name or result}/{what}_out"))
    return nodes


def trivially_true(body, name, cond_in):
    """Whether the body's cond_out `name` is always true given a true
    cond_in: cond_in itself, Identity chains of it, a constant true."""
    producers = {o: n for n in body.node for o in n.output}
    inits = {i.name: i for i in body.initializer}
    for _ in range(len(body.node) + 1):
        if name == cond_in:
            return True
        if name in inits:
            return bool(numpy_helper.to_array(inits[name]).all())
        node = producers.get(name)
        if node is None:
            return False
        if node.op_type == "Identity":
            name = node.input[0]
            continue
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    return bool(numpy_helper.to_array(a.t).all())
                if a.name in ("value_int", "value_ints"):
                    return bool(np.all(helper.get_attribute_value(a)))
        return False
    return False


def loop_trip_count(imp, node):
    """The number of iterations of Loop `node` when it is unrolled at import
    time; None when it stays a loop."""
    m = imp.input(node, 0)
    cond = imp.input(node, 1)
    if m is None or m not in imp.consts or np.asarray(imp.consts[m]).size != 1:
        return None
    trips = int(np.asarray(imp.consts[m]).reshape(-1)[0])
    if cond is not None:
        if cond not in imp.consts or np.asarray(imp.consts[cond]).size != 1:
            return None
        if not bool(np.asarray(imp.consts[cond]).reshape(-1)[0]):
            trips = 0
    body = attr_graph(node, "body")
    carried = len(node.input) - 2
    # A malformed body is left to the converter, which reports it.
    if body is None or len(body.input) != 2 + carried or \
            len(body.output) < 1 + carried or len(node.output) != len(body.output) - 1:
        return None
    if trips > 0 and not trivially_true(body, body.output[0].name, body.input[1].name):
        return None
    if trips > UNROLL_MAX:
        return None
    return max(trips, 0)


def unroll_loop(imp, model, node, trips, taken):
    """`trips` copies of the body of Loop `node`; the final loop-carried
    values and the concatenated scan outputs become its outputs."""
    body = attr_graph(node, "body")
    check_supported(imp, node, body, "the body")
    carried = list(node.input[2:])
    n_carried = len(carried)
    n_scan = len(body.output) - 1 - n_carried
    for vi in list(body.input)[2:] + list(body.output)[1:]:
        if not is_tensor_type(vi.type) and vi.type.WhichOneof("value"):
            raise imp.fail(node, f"'{vi.name}' is not a tensor (sequence-typed loops "
                           "are not supported)", Unsupported)
    if n_scan and trips == 0:
        raise imp.fail(node, "a loop that runs no iteration with scan outputs is "
                       "not supported", Unsupported)
    label = node.name or node.output[0]
    nodes = []
    scans = [[] for _ in range(n_scan)]
    formals = [i.name for i in body.input]
    for k in range(trips):
        copy = onnx.GraphProto()
        copy.CopyFrom(body)
        iteration = fresh_name(taken, f"{label}#iter{k}")
        add_constant(imp, model, iteration, np.array(k, np.int64))
        true = fresh_name(taken, f"{label}#cond{k}")
        add_constant(imp, model, true, np.array(True))
        mapping = {formals[0]: iteration, formals[1]: true}
        mapping.update(zip(formals[2:], carried))
        for name in defined_names(copy):
            if name not in mapping:
                mapping[name] = fresh_name(taken, f"{name}#{k}")
        rename_graph(copy, mapping, f"#{k}")
        for init in copy.initializer:
            add_constant(imp, model, init.name, numpy_helper.to_array(init))
        nodes += list(copy.node)
        outs = [o.name for o in copy.output]
        carried = outs[1:1 + n_carried]
        for j in range(n_scan):
            scans[j].append(outs[1 + n_carried + j])
    opset = imp.opset
    for j, result in enumerate(node.output[:n_carried]):
        if result:
            nodes.append(helper.make_node("Identity", [carried[j]], [result],
                                          name=f"{label}/out{j}"))
    for j, result in enumerate(node.output[n_carried:n_carried + n_scan]):
        if not result:
            continue
        parts = []
        for k, value in enumerate(scans[j]):
            part = fresh_name(taken, f"{result}#{k}")
            if opset >= 13:
                axes = fresh_name(taken, f"{result}#axes")
                add_constant(imp, model, axes, np.array([0], np.int64))
                nodes.append(helper.make_node("Unsqueeze", [value, axes], [part],
                                              name=f"{label}/scan{j}#{k}"))
            else:
                nodes.append(helper.make_node("Unsqueeze", [value], [part], axes=[0],
                                              name=f"{label}/scan{j}#{k}"))
            parts.append(part)
        nodes.append(helper.make_node("Concat", parts, [result], axis=0,
                                      name=f"{label}/scan{j}"))
    return nodes


# ------------------------------------------------------- regions (scf ops)

def elem_type_proto(elem):
    return next(k for k, v in ELEMENT_TYPES.items() if v == elem)


def import_region(imp, node, graph, formals, what):
    """Imports `graph` (a branch or a loop body of `node`) as a region:
    `formals` gives each graph input as (ssa, (elem, shape)). Returns the
    region's lines (indented one level deeper) and its outputs as
    (ssa, (elem, shape)). The region reads values of the enclosing scopes;
    their constants are materialized in the enclosing function."""
    from infer.onnx.validate import validate, validate_folded
    check_supported(imp, node, graph, f"the {what}")
    for vi in list(graph.input) + list(graph.output):
        if vi.type.WhichOneof("value") and not is_tensor_type(vi.type):
            raise imp.fail(node, f"'{vi.name}' of the {what} is not a tensor "
                           "(sequences and optionals are not supported)", Unsupported)
    free = [n for n in free_names(graph) if n]
    inputs, inits = [], []
    for vi, (_, (elem, shape)) in zip(graph.input, formals):
        inputs.append(helper.make_tensor_value_info(vi.name, elem_type_proto(elem),
                                                    shape))
    for name in free:
        if name in imp.consts:
            inits.append(numpy_helper.from_array(np.asarray(imp.consts[name]), name))
            continue
        if name in imp.quant_types:
            raise imp.fail(node, f"the {what} reads the quantized value '{name}'",
                           Unsupported)
        elem, shape = imp.type_of(name, node)
        inputs.append(helper.make_tensor_value_info(name, elem_type_proto(elem), shape))
    outputs = []
    # A value may be listed twice (a loop-carried value that is also a scan
    # output); the region's results are looked up by name.
    for vi in {vi.name: vi for vi in reversed(graph.output)}.values():
        out = onnx.ValueInfoProto()
        out.CopyFrom(vi)
        outputs.append(out)
    sub_graph = helper.make_graph(list(graph.node), f"{what}", inputs, outputs,
                                  inits + list(graph.initializer))
    sub = helper.make_model(sub_graph, opset_imports=list(imp.model.opset_import))
    sub.ir_version = max(imp.model.ir_version, 4)
    try:
        validate(sub, set(CONVERTERS) | set(FOLDERS) | FOLDABLE)
        child = type(imp)(sub, parent=imp)
        validate_folded(child.model, child.opset,
                        {n: s for n, (_, s) in child.types.items()}, child.consts)
    except NeedsConstant:
        raise
    except ImportError_ as e:
        raise type(e)(str(imp.fail(node, f"in the {what}: {e}"))) from None
    child.outer = set(free)
    for vi, (ssa, elem_shape) in zip(graph.input, formals):
        child.bind(vi.name, ssa, elem_shape)
    convert_nodes(child, child.graph.node,
                  "not supported inside a subgraph")
    child.location = None
    results = []
    for vi in graph.output:
        results.append((child.value(vi.name), child.type_of(vi.name)))
    return ["  " + line for line in child.lines], results


def loc(imp):
    return f' loc("{mlir_string(imp.location)}")' if imp.location else ""


def merge_types(a, b):
    """The type both branch results fit: per dimension, the size where
    they agree, else dynamic; None if the element types or ranks differ."""
    if a[0] != b[0] or len(a[1]) != len(b[1]):
        return None
    return a[0], [x if x == y else None for x, y in zip(a[1], b[1])]


def cast_to(imp, ssa, have, want, lines):
    if have == want:
        return ssa
    out = imp.fresh()
    lines.append(f"    {out} = tensor.cast {ssa} : {tensor_type(*have)} to "
                 f"{tensor_type(*want)}{loc(imp)}")
    return out


def scalar_of(imp, node, name, elem, what):
    """The scalar (i1 or i64) of a one-element tensor input."""
    t_elem, shape = imp.type_of(name, node)
    if t_elem != elem:
        raise imp.fail(node, f"{what} '{name}' has element type {t_elem}, "
                       f"expected {elem}")
    if any(d is not None and d != 1 for d in shape):
        raise imp.fail(node, f"{what} '{name}' must have one element, its "
                       f"shape is {shape}")
    ssa = imp.value(name, node)
    t = tensor_type(elem, shape)
    if shape:
        scalar_t = tensor_type(elem, [])
        ssa = imp.emit("infer.reshape", [(ssa, t)], scalar_t, "shape = array<i64>", node)
        t = scalar_t
    out = imp.fresh()
    imp.lines.append(f"  {out} = tensor.extract {ssa}[] : {t}{loc(imp)}")
    return out


def results_of(ssa, count):
    if count == 1:
        return ssa, [ssa]
    return f"{ssa}:{count}", [f"{ssa}#{i}" for i in range(count)]


@converter("If")
def convert_if(imp, node):
    cond_name = node.input[0]
    label = imp.location
    then_g, else_g = attr_graph(node, "then_branch"), attr_graph(node, "else_branch")
    if cond_name in imp.consts:
        # Not expanded while folding (see expand_control_flow): the branch
        # taken, inline.
        cond = np.asarray(imp.consts[cond_name])
        if cond.size != 1:
            raise imp.fail(node, f"the condition has {cond.size} elements, expected one")
        graph = then_g if bool(cond.reshape(-1)[0]) else else_g
        lines, outs = import_region(imp, node, graph, [], "branch")
        imp.location = label
        imp.lines += [line[2:] for line in lines]
        for result, (ssa, elem_shape) in zip(node.output, outs):
            if result:
                imp.bind(result, ssa, elem_shape)
        return
    cond = scalar_of(imp, node, cond_name, "i1", "the condition")
    then_lines, then_outs = import_region(imp, node, then_g, [], "then_branch")
    imp.location = label
    else_lines, else_outs = import_region(imp, node, else_g, [], "else_branch")
    imp.location = label
    if len(then_outs) != len(node.output) or len(else_outs) != len(node.output):
        raise imp.fail(node, "the branches and the If have different numbers of outputs")
    types = []
    for i, ((_, a), (_, b)) in enumerate(zip(then_outs, else_outs)):
        t = merge_types(a, b)
        if t is None:
            raise imp.fail(node, f"output {i}: the then_branch yields "
                           f"{tensor_type(*a)}, the else_branch {tensor_type(*b)}")
        types.append(t)
    then_vals = [cast_to(imp, s, t, want, then_lines)
                 for (s, t), want in zip(then_outs, types)]
    else_vals = [cast_to(imp, s, t, want, else_lines)
                 for (s, t), want in zip(else_outs, types)]
    sig = ", ".join(tensor_type(*t) for t in types)
    head, refs = results_of(imp.fresh(), len(types))
    lines = [f"  {head} = scf.if {cond} -> ({sig}) {{"]
    lines += then_lines + [f"    scf.yield {', '.join(then_vals)} : {sig}{loc(imp)}",
                           "  } else {"]
    lines += else_lines + [f"    scf.yield {', '.join(else_vals)} : {sig}{loc(imp)}",
                           f"  }}{loc(imp)}"]
    imp.lines += lines
    for result, ref, t in zip(node.output, refs, types):
        if result:
            imp.bind(result, ref, t)


@converter("Loop")
def convert_loop(imp, node):
    label = imp.location
    body = attr_graph(node, "body")
    m_name, cond_name = imp.input(node, 0), imp.input(node, 1)
    carried = list(node.input[2:])
    n_carried = len(carried)
    n_scan = len(body.output) - 1 - n_carried
    if len(body.input) != 2 + n_carried:
        raise imp.fail(node, f"the body has {len(body.input)} inputs, expected "
                       f"{2 + n_carried}")
    if n_scan < 0:
        raise imp.fail(node, f"the body has {len(body.output)} outputs, expected at "
                       f"least {1 + n_carried}")
    for vi in list(body.input) + list(body.output):
        if vi.type.WhichOneof("value") and not is_tensor_type(vi.type):
            raise imp.fail(node, f"'{vi.name}' of the body is not a tensor (sequence-"
                           "typed loops are not supported)", Unsupported)
    carried_types = []
    for name in carried:
        elem, shape = imp.type_of(name, node)
        if any(d is None for d in shape):
            raise imp.fail(node, f"loop-carried value '{name}' has a dynamic shape "
                           f"{tensor_type(elem, shape)}; a loop that is not unrolled "
                           "needs static shapes (fix the inputs with --input-shape)",
                           Unsupported)
        carried_types.append((elem, shape))
    trips = None
    if m_name is not None and m_name in imp.consts:
        trips = int(np.asarray(imp.consts[m_name]).reshape(-1)[0])
    cond_const = None
    if cond_name is not None and cond_name in imp.consts:
        cond_const = bool(np.asarray(imp.consts[cond_name]).reshape(-1)[0])
    if cond_const is False:
        trips = 0
    # scf.for: a trip count and a condition that stays true.
    counted = m_name is not None and cond_const is not False and \
        (cond_name is None or cond_const) and \
        trivially_true(body, body.output[0].name, body.input[1].name)
    if n_scan and m_name is None:
        raise imp.fail(node, "scan outputs of a loop without a trip count are not "
                       "supported", Unsupported)
    if n_scan and trips is not None and trips > 2 ** 31:
        raise imp.fail(node, f"scan outputs of a loop of {trips} iterations are not "
                       "supported", Unsupported)
    lines = imp.lines
    c0, c1 = imp.fresh(), imp.fresh()
    lines.append(f"  {c0} = arith.constant 0 : i64{loc(imp)}")
    lines.append(f"  {c1} = arith.constant 1 : i64{loc(imp)}")
    if m_name is None:
        bound = None
    elif trips is not None:
        bound = imp.fresh()
        lines.append(f"  {bound} = arith.constant {max(trips, 0)} : i64{loc(imp)}")
    else:
        bound = scalar_of(imp, node, m_name, "i64", "the trip count M")
    if counted:
        cond0 = None
    elif cond_name is None or cond_const is not None:
        cond0 = imp.fresh()
        lines.append(f"  {cond0} = arith.constant "
                     f"{'false' if cond_const is False else 'true'}{loc(imp)}")
    else:
        cond0 = scalar_of(imp, node, cond_name, "i1", "the condition")
    inits = [imp.value(name, node) for name in carried]

    # Region arguments.
    it_arg, cond_arg = imp.fresh(), imp.fresh()
    carried_args = [imp.fresh() for _ in carried]
    scan_args = [imp.fresh() for _ in range(n_scan)]
    it_t, cond_t = imp.fresh(), imp.fresh()
    formals = [(it_t, ("i64", [])), (cond_t, ("i1", []))]
    formals += list(zip(carried_args, carried_types))
    try:
        region, outs = import_region(imp, node, body, formals, "body")
    except NeedsConstant as e:
        # Values the body computes from the iteration number are constants
        # once the loop is unrolled: that needs a constant trip count (and
        # condition).
        for name in (m_name, cond_name):
            if name is not None and name not in imp.consts:
                raise NeedsConstant(
                    f"{e}; unrolling the loop would make it one, but the loop's "
                    f"{'trip count' if name == m_name else 'condition'} '{name}' "
                    "is not a constant (bind it with --bind)", name) from None
        why = (f"it runs {trips} iterations, more than {UNROLL_MAX}"
               if trips is not None and trips > UNROLL_MAX
               else "its body computes its condition")
        raise imp.fail(node, f"in the body: {e}; the loop is not unrolled ({why})") \
            from None
    imp.location = label
    pre = [f"    {it_t} = tensor.from_elements {it_arg} : tensor<i64>{loc(imp)}",
           f"    {cond_t} = tensor.from_elements {cond_arg} : tensor<i1>{loc(imp)}"]
    post = []
    cond_out = None
    if not counted:
        ssa, (elem, shape) = outs[0]
        if elem != "i1" or any(d != 1 for d in shape if d is not None):
            raise imp.fail(node, f"the body's condition output has type "
                           f"{tensor_type(elem, shape)}, expected one i1")
        if shape:
            ssa_t = tensor_type(elem, shape)
            r = imp.fresh()
            post.append(f"    {r} = infer.reshape {ssa} {{shape = array<i64>}} : "
                        f"({ssa_t}) -> tensor<i1>{loc(imp)}")
            ssa = r
        cond_out = imp.fresh()
        post.append(f"    {cond_out} = tensor.extract {ssa}[] : tensor<i1>{loc(imp)}")
    yields = []
    for j, ((ssa, have), want, arg) in enumerate(
            zip(outs[1:1 + n_carried], carried_types, carried_args)):
        # Always a copy, even of the argument itself: canonicalization drops
        # loop-invariant arguments of scf.while, which would shift the others.
        if have[0] != want[0] or len(have[1]) != len(want[1]) or any(
                h is not None and h != w for h, w in zip(have[1], want[1])):
            raise imp.fail(node, f"loop-carried value {j} ('{carried[j]}') changes type "
                           f"from {tensor_type(*want)} to {tensor_type(*have)}; a loop "
                           "that is not unrolled needs a fixed type", Unsupported)
        t = tensor_type(*want)
        ssa = cast_to(imp, ssa, have, want, post)
        copy, into = imp.fresh(), imp.fresh()
        post.append(f"    {copy} = bufferization.alloc_tensor() copy({ssa}) : {t}"
                    f"{loc(imp)}")
        post.append(f"    {into} = bufferization.materialize_in_destination {copy} in "
                    f"{arg} : ({t}, {t}) -> {t}{loc(imp)}")
        yields.append(into)
    # Scan outputs: inserted at the iteration's row of a [M, ...] buffer.
    scan_types, scan_inits = [], []
    if n_scan:
        index = imp.fresh()
        post.append(f"    {index} = arith.index_cast {it_arg} : i64 to index{loc(imp)}")
        rows = trips if trips is not None else None
        if rows is None:
            m_index = imp.fresh()
            lines.append(f"  {m_index} = arith.index_cast {bound} : i64 to index"
                         f"{loc(imp)}")
    for j, (ssa, (elem, shape)) in enumerate(outs[1 + n_carried:]):
        if any(d is None for d in shape):
            raise imp.fail(node, f"scan output {j} has a dynamic shape "
                           f"{tensor_type(elem, shape)}; a loop that is not unrolled "
                           "needs static shapes", Unsupported)
        buf_t = tensor_type(elem, [rows] + shape)
        init = imp.fresh()
        lines.append(f"  {init} = tensor.empty({'' if rows is not None else m_index}) : "
                     f"{buf_t}{loc(imp)}")
        scan_inits.append(init)
        scan_types.append((elem, [rows] + shape))
        offsets = ", ".join([index] + ["0"] * len(shape))
        sizes = ", ".join(["1"] + [str(d) for d in shape])
        strides = ", ".join(["1"] * (len(shape) + 1))
        into = imp.fresh()
        post.append(f"    {into} = tensor.insert_slice {ssa} into {scan_args[j]}"
                    f"[{offsets}] [{sizes}] [{strides}] : {tensor_type(elem, shape)} "
                    f"into {buf_t}{loc(imp)}")
        yields.append(into)
    state_types = [tensor_type(*t) for t in carried_types + scan_types]
    state_args = carried_args + scan_args
    state_inits = inits + scan_inits
    count = len(state_types)
    if counted:
        head, refs = results_of(imp.fresh(), count) if count else ("", [])
        iter_args = ", ".join(f"{a} = {i}" for a, i in zip(state_args, state_inits))
        sig = ", ".join(state_types)
        out = [f"  {head + ' = ' if count else ''}scf.for {it_arg} = {c0} to {bound} "
               f"step {c1}" + (f" iter_args({iter_args}) -> ({sig})" if count else "")
               + " : i64 {"]
        out.append(f"    {cond_arg} = arith.constant true{loc(imp)}")
        out += pre + region + post
        out += [f"    scf.yield {', '.join(yields)} : {sig}{loc(imp)}" if count else
                f"    scf.yield{loc(imp)}", f"  }}{loc(imp)}"]
        count_ref = bound
        results = refs
    else:
        # The tensors first: bufferization wants each forwarded tensor at
        # the position of its argument, and canonicalization may drop the
        # scalars (a condition known true in the body).
        head, refs = results_of(imp.fresh(), count + 2)
        sig = ", ".join(state_types + ["i64", "i1"])
        before_args = [imp.fresh() for _ in state_types] + [imp.fresh(), imp.fresh()]
        header = ", ".join(f"{a} = {i}" for a, i in
                           zip(before_args, state_inits + [c0, cond0]))
        out = [f"  {head} = scf.while ({header}) : ({sig}) -> ({sig}) {{"]
        it_before, cond_before = before_args[-2], before_args[-1]
        go = cond_before
        if bound is not None:
            lt, go = imp.fresh(), imp.fresh()
            out.append(f"    {lt} = arith.cmpi slt, {it_before}, {bound} : i64"
                       f"{loc(imp)}")
            out.append(f"    {go} = arith.andi {lt}, {cond_before} : i1{loc(imp)}")
        out.append(f"    scf.condition({go}) {', '.join(before_args)} : {sig}{loc(imp)}")
        out.append("  } do {")
        block = ", ".join(f"{a}: {t}" for a, t in
                          zip(state_args + [it_arg, cond_arg], state_types + ["i64", "i1"]))
        out.append(f"  ^bb0({block}):")
        nxt = imp.fresh()
        post.append(f"    {nxt} = arith.addi {it_arg}, {c1} : i64{loc(imp)}")
        out += pre + region + post
        out.append(f"    scf.yield {', '.join(yields + [nxt, cond_out])} : {sig}"
                   f"{loc(imp)}")
        out.append(f"  }}{loc(imp)}")
        count_ref = refs[count]
        results = refs[:count]
    lines += out
    for j, result in enumerate(node.output[:n_carried]):
        if result:
            imp.bind(result, results[j], carried_types[j])
    for j, result in enumerate(node.output[n_carried:n_carried + n_scan]):
        elem, shape = scan_types[j]
        ref = results[n_carried + j]
        if not result:
            continue
        if counted and trips is not None:
            imp.bind(result, ref, (elem, shape))
            continue
        # The iterations that ran.
        n_index = imp.fresh()
        lines.append(f"  {n_index} = arith.index_cast {count_ref} : i64 to index"
                     f"{loc(imp)}")
        sliced = imp.fresh()
        offsets = ", ".join(["0"] * len(shape))
        sizes = ", ".join([n_index] + [str(d) for d in shape[1:]])
        strides = ", ".join(["1"] * len(shape))
        out_t = (elem, [None] + shape[1:])
        lines.append(f"  {sliced} = tensor.extract_slice {ref}[{offsets}] [{sizes}] "
                     f"[{strides}] : {tensor_type(elem, shape)} to {tensor_type(*out_t)}"
                     f"{loc(imp)}")
        imp.bind(result, sliced, out_t)
