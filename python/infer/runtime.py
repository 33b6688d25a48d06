"""Calling a model compiled by tools/infer-compile from Python.

    model = CompiledModel("out/libnet.so")      # out/net.h beside it
    outputs = model(x)                            # numpy arrays in, out

tools/infer-compile writes a shared library whose `_mlir_ciface_<fn>` takes
a pointer to its result descriptor (a struct of descriptors when there are
several results), then one pointer per input descriptor, and a C header whose
comments give each input's and output's element type and shape. This module
reads those comments, builds the descriptors with ctypes, calls the function
and copies each result into a numpy array, freeing the model's buffer.
"""
import ctypes
import os
import re

import numpy as np

DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16, "i64": np.int64,
          "i32": np.int32, "i16": np.int16, "i8": np.int8, "i1": np.bool_,
          "ui8": np.uint8, "ui16": np.uint16, "ui32": np.uint32, "ui64": np.uint64}


class ModelCallError(RuntimeError):
    """A compiled model that cannot be loaded or called as asked."""


def _descriptor(rank):
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    return type(f"Memref{rank}D", (ctypes.Structure,), {"_fields_": fields})


def parse_header(path, function="main"):
    """The inputs and outputs of `function` in an infer-compile header, as
    lists of (name, numpy dtype, shape with None for dynamic sizes)."""
    with open(path) as f:
        text = f.read()
    block = re.search(r"/\* @" + re.escape(function) + r"\n(.*?)\*/", text, re.S)
    if not block:
        raise ModelCallError(f"{path}: no function @{function}")
    inputs, outputs = [], []
    for line in block.group(1).splitlines():
        m = re.match(r'\s*\*\s+(input|output) (\d+)(?: "([^"]*)")?: (\w+) \[([^\]]*)\]', line)
        if not m:
            continue
        kind, _, name, dtype, dims = m.groups()
        if dtype not in DTYPES:
            raise ModelCallError(f"{path}: element type {dtype} is not supported here")
        shape = [None if d.strip() == "?" else int(d) for d in dims.split(",") if d.strip()]
        (inputs if kind == "input" else outputs).append((name, DTYPES[dtype], shape))
    if not outputs:
        raise ModelCallError(f"{path}: @{function} has no outputs")
    return inputs, outputs


class CompiledModel:
    """A function of a library from tools/infer-compile, callable on numpy
    arrays."""

    def __init__(self, library, header=None, function="main"):
        if header is None:
            base = os.path.basename(library)
            stem = base[3:] if base.startswith("lib") else base
            header = os.path.join(os.path.dirname(library), stem.rsplit(".so", 1)[0] + ".h")
        self.inputs, self.outputs = parse_header(header, function)
        self._lib = ctypes.CDLL(os.path.abspath(library))
        self._fn = getattr(self._lib, "_mlir_ciface_" + function)
        self._fn.restype = None
        self._in_types = [_descriptor(len(shape)) for _, _, shape in self.inputs]
        self._out_types = [_descriptor(len(shape)) for _, _, shape in self.outputs]
        if len(self._out_types) == 1:
            self._result_type = self._out_types[0]
        else:
            self._result_type = type("Results", (ctypes.Structure,), {
                "_fields_": [(f"r{i}", t) for i, t in enumerate(self._out_types)]})
        self._free = ctypes.CDLL(None).free
        self._free.argtypes = [ctypes.c_void_p]

    def __call__(self, *arrays):
        if len(arrays) != len(self.inputs):
            raise ModelCallError(f"expected {len(self.inputs)} inputs, got {len(arrays)}")
        keep, descriptors = [], []
        for array, (name, dtype, shape), desc_type in zip(arrays, self.inputs, self._in_types):
            a = np.ascontiguousarray(array, dtype=dtype)
            if a.ndim != len(shape) or any(s is not None and s != d
                                           for s, d in zip(shape, a.shape)):
                raise ModelCallError(f"input {name!r}: shape {list(a.shape)} does not match "
                                    f"{['?' if s is None else s for s in shape]}")
            d = desc_type()
            d.allocated = d.aligned = a.ctypes.data
            d.offset = 0
            for i, n in enumerate(a.shape):
                d.sizes[i] = n
                d.strides[i] = a.strides[i] // a.itemsize
            keep.append(a)
            descriptors.append(d)
        result = self._result_type()
        self._fn(ctypes.byref(result), *[ctypes.byref(d) for d in descriptors])
        parts = [result] if len(self._out_types) == 1 else \
            [getattr(result, f"r{i}") for i in range(len(self._out_types))]
        inputs = {a.ctypes.data for a in keep}
        outputs, freed = [], set()
        for d, (_, dtype, shape) in zip(parts, self.outputs):
            rank = len(shape)
            sizes = [d.sizes[i] for i in range(rank)]
            strides = [d.strides[i] * np.dtype(dtype).itemsize for i in range(rank)]
            if 0 in sizes:
                outputs.append(np.zeros(sizes, dtype))
            else:
                base = d.aligned + d.offset * np.dtype(dtype).itemsize
                span = sum((n - 1) * s for n, s in zip(sizes, strides)) + np.dtype(dtype).itemsize
                buffer = (ctypes.c_char * span).from_address(base)
                view = np.lib.stride_tricks.as_strided(
                    np.frombuffer(buffer, dtype=dtype), shape=sizes, strides=strides)
                outputs.append(np.array(view, copy=True))
        # Results are the model's own allocations, except what aliases an
        # input; one allocation may back several results (a reshape of
        # another result): free after every copy, each once.
        for d in parts:
            if d.allocated and d.allocated not in freed and d.allocated not in inputs:
                self._free(d.allocated)
                freed.add(d.allocated)
        return outputs
