"""The ONNX op converters, one module per op family, and the registry that
maps an op type and the model's opset to its converter (registry.py).
Importing this package registers every converter and folder."""
from infer.onnx.ops import (elementwise, folding, indexing, logic, nn, quantized,  # noqa: F401
                            reduce, resample, tensor)
from infer.onnx.ops import control, recurrent  # noqa: F401
from infer.onnx.ops import decompose, functions  # noqa: F401 - decompositions, function expansion
from infer.onnx.ops import sampling  # noqa: F401 - GridSample
from infer.onnx.ops.registry import CONVERTERS, FOLDERS, converter, folder, lookup  # noqa: F401
