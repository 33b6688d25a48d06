"""Errors of the ONNX import: what the user's model got wrong or what the
dialect does not cover. Anything else the importer raises is a bug.

They live in their own module so that the importer run as a script
(`python -m infer.onnx.importer`, where it is `__main__`) and the validator
raise the same classes.
"""


class ImportError_(Exception):
    """An ONNX model (or node) that cannot be imported; the message says why."""


class Unsupported(ImportError_):
    """A variant of an op that the dialect does not model (training mode,
    3-D pooling, MaxPool indices...): out of scope rather than a failure."""


class NeedsConstant(ImportError_):
    """An operand that must be known at import time comes from a graph input;
    `name` says which (bind it with --bind to import)."""

    def __init__(self, message, name):
        super().__init__(message)
        self.name = name


def node_label(node, opset, index=None):
    """`Conv node 'conv1' (opset 13)`: the node's name, else its first output,
    else its position in the graph."""
    if node.name:
        which = f"'{node.name}'"
    elif len(node.output) and node.output[0]:
        which = f"'{node.output[0]}'"
    else:
        which = f"#{index}" if index is not None else "(unnamed)"
    return f"{node.op_type} node {which} (opset {opset})"
