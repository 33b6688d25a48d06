"""The per-node loop of an import, shared by the top-level graph
(importer.py) and the regions of If and Loop (control.py): a node is
evaluated on constant inputs where it can be, else converted by the
converter its op type and the model's opset select."""
import numpy as np

from infer.onnx.errors import ImportError_, NeedsConstant, Unsupported
from infer.onnx.ops.folding import FOLDABLE, fold_numpy
from infer.onnx.ops.quantized import QUANTIZED_CONSUMERS
from infer.onnx.ops.registry import FOLDERS, NonFinite, lookup


def convert_nodes(imp, nodes, quantized_restriction):
    """Folds or converts `nodes` in order into `imp`. A quantized (or raw
    uint8) input to an op outside QUANTIZED_CONSUMERS is an Unsupported error
    ending in `quantized_restriction`."""
    for node in nodes:
        # Every op of the node is located at it: diagnostics, profiles and
        # the calibration table name ONNX nodes.
        imp.location = node.name or next((o for o in node.output if o), "")
        inputs = [imp.consts.get(i) if i else None for i in node.input]
        present = [a for i, a in zip(node.input, inputs) if i]
        if node.op_type in FOLDERS and node.op_type not in ("Shape", "Size"):
            for name, a in zip(node.input, inputs):
                if name and a is None:
                    raise NeedsConstant(str(imp.fail(
                        node, f"input '{name}' must be a constant")), name)
        if node.op_type in FOLDERS or (node.op_type in FOLDABLE and present
                                       and all(a is not None for a in present)):
            try:
                folded = (FOLDERS[node.op_type](imp, node, present)
                          if node.op_type in FOLDERS else fold_numpy(imp, node, present))
            except ImportError_:
                raise
            except Exception as e:  # noqa: BLE001 - report the node
                raise imp.fail(node, f"cannot evaluate on constants: {e}") from e
            if folded is not None:
                imp.consts[node.output[0]] = np.asarray(folded)
                continue
        convert = lookup(node.op_type, imp.opset)
        if convert is None:
            raise imp.fail(node, "needs constant inputs here (it is only "
                           "evaluated at import time)")
        quantized = [i for i in node.input if i in imp.quant_types]
        if quantized and node.op_type not in QUANTIZED_CONSUMERS:
            raise imp.fail(node, f"input '{quantized[0]}' is quantized or uint8; "
                           + quantized_restriction, Unsupported)
        try:
            convert(imp, node)
        except NonFinite as e:
            raise imp.fail(node, str(e)) from None
