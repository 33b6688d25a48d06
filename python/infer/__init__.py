"""infer-mlir Python tooling: ONNX import, conformance and model helpers."""
