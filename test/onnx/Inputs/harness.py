"""What the test/onnx scripts that compare with onnxruntime share.

  report(tag, ok, detail)     prints "PASS tag: detail" / "FAIL tag: detail"
                              and counts the failures (`failures`)
  onnxruntime_outputs(model, feeds)
                              every output of onnxruntime's CPU provider
  input_args(base, feeds)     writes BASE.in<i>.npy; the infer-run --input
                              arguments
  run_infer(source, base, inputs, n, extra=())
                              infer-run SOURCE on those inputs (and `extra`
                              arguments): its n outputs (BASE.out<i>.npy), or
                              the error's last lines
  expect_import_error(tag, model, *words, **kw)
                              the importer (import_model(model, **kw)) must
                              refuse `model` with an error holding every one
                              of `words`
"""
import subprocess

import numpy as np
import onnxruntime as ort

from infer.onnx.errors import ImportError_
from infer.onnx.importer import import_model

failures = 0


def report(tag, ok, detail=""):
    global failures
    failures += not ok
    print(f"{'PASS' if ok else 'FAIL'} {tag}" + (f": {detail}" if detail else ""))


def onnxruntime_outputs(model, feeds):
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def input_args(base, feeds):
    args = []
    for i, value in enumerate(feeds.values()):
        np.save(f"{base}.in{i}.npy", value)
        args += ["--input", f"{base}.in{i}.npy"]
    return args


def run_infer(source, base, inputs, n_outputs, extra=()):
    outputs = [f"{base}.out{i}.npy" for i in range(n_outputs)]
    cmd = ["infer-run", source] + inputs + list(extra)
    for out in outputs:
        cmd += ["--output", out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return proc.stderr.strip()[-400:]
    return [np.load(out) for out in outputs]


def expect_import_error(tag, model, *words, **kwargs):
    try:
        import_model(model, **kwargs)
    except ImportError_ as e:
        report(tag, all(w in str(e) for w in words), str(e))
        return
    report(tag, False, "imported")
