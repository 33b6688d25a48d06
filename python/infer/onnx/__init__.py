"""ONNX to the infer dialect.

The names below load the importer on first use, so that running it as a
script (`python -m infer.onnx.importer`) does not import it twice.
"""

_EXPORTS = {"OnnxImportError": "ImportError_", "import_model": "import_model",
            "NeedsConstant": "NeedsConstant", "Unsupported": "Unsupported"}


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'infer.onnx' has no attribute '{name}'")
    from infer.onnx import importer
    return getattr(importer, _EXPORTS[name])
