"""ONNX to the infer dialect."""
from infer.onnx.importer import ImportError_ as OnnxImportError  # noqa: F401
from infer.onnx.importer import import_model  # noqa: F401
from infer.onnx.importer import NeedsConstant  # noqa: F401
from infer.onnx.importer import Unsupported  # noqa: F401
