#!/usr/bin/env python3
"""Pretrained models we did not write, ours against onnxruntime.

    pretrained.py MODEL [MODEL...] | --all  [--bin build/bin] [--work DIR]
                  [--models-dir DIR] [--threads 1] [--latency]
                  [--repeat 20] [--warmup 3] [--list]

MODEL is one of those in `--list`: PaddleOCR's PP-OCRv4 text detector
(ppocr-det) and recognizer (ppocr-rec) and its mobile v2.0 direction
classifier (ppocr-cls) from rapidocr_onnxruntime 1.4.4; Silero VAD 6.2.3, the
op18 graph (silero-vad) and the 16 kHz op15 one with the LSTM (silero-vad-lstm).
tools/models/fetch_pretrained.py fetched them at set-up into --models-dir.

For each: a realistic input (a synthetic image of dark text-like strokes on a
light background, normalized as PaddleOCR does, (x/255 - 0.5)/0.5; for the
VAD the first call on a stream: a 512-sample chunk at 16 kHz of a synthetic
vowel after the 64 samples of (zero) context silero's wrapper prepends, with a
zero state), the model
imported with its dynamic input dimensions fixed to that input (and the VAD's
sample rate `sr` bound to 16000, as a deployment fixes it), compiled by
`infer-opt --infer-cpu-pipeline=threads=N`, run by `infer-run`, and every
output compared with onnxruntime's on the same input: |ours - ort| <= atol +
rtol |ort| (the tolerances are printed). The recognizer's per-step argmax (the
character sequence) must also be onnxruntime's, and the VAD's speech
probability within 1e-3 of it. --latency also times both (median of
--repeat calls after --warmup, each on --threads threads).

Prints `PASS MODEL` per model that matches; `FAIL MODEL: STAGE: ...` (stage
import, compile, run, or the output name with its largest error) otherwise,
and the exit status is then 1. A model whose package was not fetched at
set-up prints `SKIP: MODEL: ...` with the reason, and does not fail.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import fetch_pretrained  # noqa: E402

OCR = "rapidocr_onnxruntime"
VAD = "silero-vad"


# ------------------------------------------------------------------ inputs

# A 5x7 bitmap font: enough glyphs for the lines the inputs print.
FONT = {
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}
SUPERSAMPLE = 4


def text_image(height, width, lines, seed, text_width=None):
    """A synthetic RGB page (height x width, values 0..255 as float32): the
    `lines` of text in dark ink, anti-aliased (rendered at 4x and averaged),
    with a slight per-line jitter of position and size, on a light, unevenly
    lit background with sensor noise; `text_width` keeps the text left of that
    column (the caller pads the rest)."""
    rng = np.random.default_rng(seed)
    s = SUPERSAMPLE
    ink = np.zeros((height * s, width * s), np.float32)
    text_width = text_width or width
    line_h = height / len(lines)
    for row, text in enumerate(lines):
        glyph_h = line_h * rng.uniform(0.52, 0.6)
        cell = glyph_h / 7  # one bitmap pixel
        advance = 6.2 * cell
        if len(text) * advance > text_width * 0.96:
            cell *= text_width * 0.96 / (len(text) * advance)
            advance = 6.2 * cell
        top = row * line_h + (line_h - 7 * cell) / 2 + rng.uniform(-1, 1)
        left = rng.uniform(0.01, 0.03) * text_width
        for i, ch in enumerate(text):
            bitmap = np.array([[c == "1" for c in r] for r in FONT[ch].split()], np.float32)
            x0 = left + i * advance
            for (r, c) in np.argwhere(bitmap):
                y_a, y_b = int(round((top + r * cell) * s)), int(round((top + (r + 1) * cell) * s))
                x_a, x_b = int(round((x0 + c * cell) * s)), int(round((x0 + (c + 1) * cell) * s))
                ink[max(y_a, 0):y_b, max(x_a, 0):x_b] = 1.0
    ink = ink.reshape(height, s, width, s).mean(axis=(1, 3))
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    background = np.array([236.0, 232.0, 224.0], np.float32)
    shade = 1.0 - 0.06 * (xx / width) - 0.04 * (yy / height)
    color = np.array([38.0, 36.0, 52.0], np.float32)
    image = (background * shade[..., None]) * (1 - ink[..., None]) + color * ink[..., None]
    image += rng.normal(0.0, 2.0, image.shape).astype(np.float32)
    return np.clip(np.round(image), 0, 255).astype(np.float32)


def paddle_normalize(image):
    """HWC 0..255 -> NCHW, (x/255 - 0.5)/0.5, as PaddleOCR's pre-processing."""
    x = (image / 255.0 - 0.5) / 0.5
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None]).astype(np.float32)


def det_input(h=128, w=256):
    lines = ["INFER 2025", "MLIR-ONNX", "PP-OCR 4.0"]
    return {"x": paddle_normalize(text_image(h, w, lines, seed=1))}


def cls_input():
    return {"x": paddle_normalize(text_image(48, 192, ["INFER 2025"], seed=2))}


def rec_input():
    # PaddleOCR resizes the line to height 48 and pads the right of the
    # 320-wide input with zeros (after normalization).
    x = paddle_normalize(text_image(48, 320, ["INFER MLIR 2025"], seed=3, text_width=272))
    x[..., 272:] = 0.0
    return {"x": x}


def vad_input():
    """Silero's first call on a stream: 64 samples of context (zeros, the
    start of the stream) + one 512-sample chunk (32 ms at 16 kHz), zero LSTM
    state. The chunk is the onset of a synthetic vowel /a/: a glottal pulse
    train at a 125 Hz pitch with 8 % vibrato, through three formant resonators
    (730, 1090 and 2440 Hz), under a rising envelope, plus noise."""
    sr, n = 16000, 512
    rng = np.random.default_rng(4)
    t = np.arange(n) / sr
    phase = np.cumsum(125.0 * (1 + 0.08 * np.sin(2 * np.pi * 3 * t))) / sr
    frac = phase % 1.0
    pulse = np.where(frac < 0.4, 0.5 * (1 - np.cos(np.pi * frac / 0.4)),
                     np.where(frac < 0.56, np.cos(np.pi * (frac - 0.4) / 0.32), 0.0))
    y = np.diff(pulse, prepend=0.0)  # lip radiation
    for freq, bandwidth in ((730, 90), (1090, 110), (2440, 170)):
        r = np.exp(-np.pi * bandwidth / sr)
        a1, a2 = 2 * r * np.cos(2 * np.pi * freq / sr), -r * r
        out, y1, y2 = np.zeros(n), 0.0, 0.0
        for i in range(n):
            out[i] = y[i] + a1 * y1 + a2 * y2
            y2, y1 = y1, out[i]
        y = out
    y *= np.minimum(1.0, t / 0.05) * (0.8 + 0.2 * np.sin(2 * np.pi * 4 * t))
    chunk = 0.3 * y / np.abs(y).max() + rng.normal(0.0, 0.003, n)
    audio = np.concatenate([np.zeros(64), chunk]).astype(np.float32)[None]
    return {"input": audio, "state": np.zeros((2, 1, 128), np.float32),
            "sr": np.array(sr, np.int64)}


# ------------------------------------------------------------------ checks

def rec_argmax(ours, ort_out, atol, onnx_model):
    """The recognizer's character sequence: the per-step argmax must be
    onnxruntime's wherever onnxruntime's two best are more than 2 atol apart
    (a closer pair is a tie within the tolerance). Both are decoded (CTC:
    repeats merged, blanks dropped) with the model's character list.
    Returns (ok, message)."""
    a, b = ours.argmax(-1), ort_out.argmax(-1)
    top2 = np.sort(ort_out, axis=-1)[..., -2:]
    clear = (top2[..., 1] - top2[..., 0]) > 2 * atol
    wrong = (a != b) & clear
    ties = int(((a != b) & ~clear).sum())
    # PaddleOCR: index 0 is the CTC blank, then the dictionary, then a space.
    table = next((p.value for p in onnx_model.metadata_props if p.key == "character"), "")
    chars = [""] + table.split("\n") + [" "]

    def ctc(seq):
        out, last = [], 0
        for i in seq.reshape(-1).tolist():
            if i != last and i != 0:
                out.append(chars[i] if i < len(chars) else f"<{i}>")
            last = i
        return "".join(out)
    message = (f"character sequence: {a.size} steps, {int((a == b).sum())} argmax equal to "
               f"onnxruntime's ({ties} near-ties); text: ours '{ctc(a)}', "
               f"onnxruntime '{ctc(b)}'")
    if wrong.any():
        i = tuple(int(v) for v in np.argwhere(wrong)[0])
        return False, message + f"; step {list(i)}: ours {int(a[i])}, onnxruntime {int(b[i])}"
    return True, message


def vad_probability(ours, ort_out, atol, onnx_model):
    p, q = float(ours.reshape(-1)[0]), float(ort_out.reshape(-1)[0])
    message = f"speech probability: ours {p:.6f}, onnxruntime {q:.6f}"
    return abs(p - q) <= atol, message + f" (|diff| {abs(p - q):.2e}, limit {atol:g})"


class Model:
    def __init__(self, name, package, file, what, make_input, rtol, atol, bind=(),
                 check=None):
        self.name, self.package, self.file, self.what = name, package, file, what
        self.make_input, self.rtol, self.atol = make_input, rtol, atol
        self.bind = tuple(bind)  # inputs imported as constants (their values)
        self.check = check  # (output index, function(ours, ort, atol, onnx model))


MODELS = {m.name: m for m in [
    Model("ppocr-det", OCR, "ch_PP-OCRv4_det_infer.onnx",
          "PP-OCRv4 text detector (DB, probability map)", det_input, 1e-3, 1e-3),
    Model("ppocr-cls", OCR, "ch_ppocr_mobile_v2.0_cls_infer.onnx",
          "PP-OCR mobile v2.0 text direction classifier (0/180 degrees)", cls_input,
          1e-3, 1e-3),
    Model("ppocr-rec", OCR, "ch_PP-OCRv4_rec_infer.onnx",
          "PP-OCRv4 text recognizer (SVTR-LCNet, CTC over 6625 characters)", rec_input,
          1e-3, 1e-3, check=(0, rec_argmax)),
    Model("silero-vad", VAD, "silero_vad_op18_ifless.onnx",
          "Silero VAD v6 voice activity detector (opset 18 graph)", vad_input, 1e-3, 1e-3,
          bind=("sr",), check=(0, vad_probability)),
    Model("silero-vad-lstm", VAD, "silero_vad_16k_op15.onnx",
          "Silero VAD v6 voice activity detector, 16 kHz (opset 15, LSTM)", vad_input,
          1e-3, 1e-3, bind=("sr",), check=(0, vad_probability)),
]}


# ----------------------------------------------------------------- running

class Failure(Exception):
    def __init__(self, stage, message):
        super().__init__(f"{stage}: {message}")


def first_error(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower():
            return line[:600]
    return (lines[-1] if lines else "no output")[:600]


def run(stage, cmd, timeout=1800):
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(stage, f"timed out after {timeout} s: {' '.join(cmd)}") from None
    if proc.returncode != 0:
        raise Failure(stage, first_error(proc.stdout)
                      + f" (exit status {proc.returncode})")
    return proc.stdout, time.perf_counter() - start


def importer_has_input_shape():
    """Whether the importer takes --input-shape (it is being added)."""
    out = subprocess.run([sys.executable, "-m", "infer.onnx.importer", "--help"],
                         capture_output=True, text=True).stdout
    return "--input-shape" in out


def fixed_copy(model, shapes):
    """A copy of `model` whose graph inputs have the given shapes: the
    fallback for an importer without --input-shape NAME=DIMS. Once that flag
    is committed (python/infer/onnx/importer.py), this and
    importer_has_input_shape() go, and the flag always fixes the shapes."""
    import onnx
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for vi in copy.graph.input:
        if vi.name in shapes:
            dims = vi.type.tensor_type.shape.dim
            for d, size in zip(dims, shapes[vi.name]):
                d.Clear()
                d.dim_value = int(size)
    return copy


def compare(name, ours, ref, rtol, atol):
    """(ok, message) for one output."""
    shape = "x".join(map(str, ref.shape)) or "scalar"
    if ours.shape != ref.shape:
        return False, (f"output '{name}': shape {'x'.join(map(str, ours.shape))}, "
                       f"onnxruntime's is {shape}")
    if ours.dtype != ref.dtype:
        ours = ours.astype(ref.dtype)
    if not np.isfinite(ours).all() and np.isfinite(ref).all():
        bad = tuple(int(v) for v in np.argwhere(~np.isfinite(ours))[0])
        return False, f"output '{name}' {shape}: non-finite value {ours[bad]} at {list(bad)}"
    err = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    excess = err - (atol + rtol * np.abs(ref.astype(np.float64)))
    worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
    max_err = float(err.max()) if err.size else 0.0
    where = (f" at {list(map(int, worst))} (ours {float(ours[worst]):.6g}, "
             f"onnxruntime {float(ref[worst]):.6g})") if err.size else ""
    bad = int((excess > 0).sum())
    message = (f"output '{name}' {shape}: max abs error {max_err:.3g}{where}, "
               f"{bad} of {err.size} beyond rtol {rtol:g} atol {atol:g}")
    return bad == 0, message


def check_model(model, args, work):
    """Runs one model; prints its report; returns 'PASS', 'FAIL' or 'SKIP'."""
    path, why = fetch_pretrained.model_path(args.models_dir, model.package, model.file)
    if path is None:
        print(f"SKIP: {model.name}: {why}")
        return "SKIP"
    import onnx
    import onnxruntime as ort
    spec = fetch_pretrained.WHEELS[model.package]
    inputs = model.make_input()
    print(f"{model.name}: {model.what}; {model.package}=={spec['version']} {model.file}")
    print("  input " + ", ".join(f"{k} {'x'.join(map(str, v.shape)) or 'scalar'} {v.dtype}"
                                 + (f" = {v.item()} (bound at import)" if k in model.bind
                                    else "") for k, v in inputs.items()))
    try:
        onnx_model = onnx.load(path)
        initializers = {i.name for i in onnx_model.graph.initializer}
        graph_inputs = [i.name for i in onnx_model.graph.input if i.name not in initializers]
        runtime_inputs = [n for n in graph_inputs if n not in model.bind]
        shapes = {n: inputs[n].shape for n in runtime_inputs}
        mlir = os.path.join(work, f"{model.name}.mlir")
        cmd = [sys.executable, "-m", "infer.onnx.importer", "-o", mlir]
        if importer_has_input_shape():
            source = path
            for n, s in shapes.items():
                if s:
                    cmd += ["--input-shape", f"{n}=" + "x".join(map(str, s))]
        else:
            source = os.path.join(work, f"{model.name}.fixed.onnx")
            onnx.save(fixed_copy(onnx_model, shapes), source)
        for n in model.bind:
            np.save(os.path.join(work, f"{model.name}.{n}.npy"), inputs[n])
            cmd += ["--bind", f"{n}={os.path.join(work, f'{model.name}.{n}.npy')}"]
        _, import_s = run("import", cmd + [source])
        lowered = os.path.join(work, f"{model.name}.llvm.mlir")
        _, compile_s = run("compile", [os.path.join(args.bin, "infer-opt"), mlir,
                                       f"--infer-cpu-pipeline=threads={args.threads}",
                                       "-o", lowered])
        print(f"  import {import_s:.1f} s, compile (infer-opt --infer-cpu-pipeline) "
              f"{compile_s:.1f} s")
        cmd = [os.path.join(args.bin, "infer-run"), lowered, "--threads", str(args.threads)]
        for n in runtime_inputs:
            p = os.path.join(work, f"{model.name}.in.{n}.npy")
            np.save(p, inputs[n])
            cmd += ["--input", p]
        outputs = [o.name for o in onnx_model.graph.output]
        out_paths = [os.path.join(work, f"{model.name}.out{i}.npy")
                     for i in range(len(outputs))]
        for p in out_paths:
            cmd += ["--output", p]
        if args.latency:
            cmd += ["--repeat", str(args.repeat), "--warmup", str(args.warmup)]
        out, _ = run("run", cmd)
        ours = [np.load(p) for p in out_paths]
    except Failure as e:
        print(f"FAIL {model.name}: {e}")
        return "FAIL"

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {n: inputs[n] for n in graph_inputs}
    refs = session.run(None, feed)
    failures = []
    for name, a, b in zip(outputs, ours, refs):
        good, message = compare(name, a, b, model.rtol, model.atol)
        print("  " + message)
        if not good:
            failures.append(message)
    if model.check:
        index, check = model.check
        if ours[index].shape == refs[index].shape:
            good, message = check(ours[index], refs[index], model.atol, onnx_model)
            print("  " + message)
            if not good:
                failures.append(message)
    if args.latency:
        match = re.search(r"median_ms=([0-9.]+)", out)
        for _ in range(args.warmup):
            session.run(None, feed)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            session.run(None, feed)
            times.append(time.perf_counter() - start)
        ours_ms = f"{float(match.group(1)):.3f} ms" if match else "(no median_ms)"
        print(f"  latency, {args.threads} thread{'s' if args.threads != 1 else ''}, median "
              f"of {args.repeat} after {args.warmup} warm-up: ours {ours_ms}, "
              f"onnxruntime {np.median(times) * 1e3:.3f} ms")
    if not failures:
        print(f"PASS {model.name}")
        return "PASS"
    print(f"FAIL {model.name}: {failures[0]}")
    return "FAIL"


def lit_config(models_dir):
    """What test/models/lit.local.cfg needs, as JSON: the cache, the feature
    `pretrained-MODEL` for each model set-up fetched, and a note per model
    that is skipped, saying why."""
    import json
    features, notes = [], []
    for m in MODELS.values():
        path, why = fetch_pretrained.model_path(models_dir, m.package, m.file)
        if path is None:
            notes.append(f"test/models: {m.name} is skipped: {why}")
            continue
        features.append(f"pretrained-{m.name}")
    print(json.dumps({"models_dir": models_dir, "features": features, "notes": notes}))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", metavar="MODEL")
    parser.add_argument("--all", action="store_true", help="every model")
    parser.add_argument("--list", action="store_true", help="list the models")
    parser.add_argument("--bin", default=os.environ.get("INFER_BIN",
                                                        os.path.join(ROOT, "build", "bin")))
    parser.add_argument("--work", help="keep the intermediate files here")
    parser.add_argument("--models-dir", default=fetch_pretrained.default_dir(),
                        help="where set-up unpacked the models (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for ours and onnxruntime (default 1)")
    parser.add_argument("--latency", action="store_true", help="time ours and onnxruntime")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--lit-config", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.models_dir = os.path.abspath(args.models_dir)
    if args.lit_config:
        return lit_config(args.models_dir)
    if args.list:
        for m in MODELS.values():
            print(f"{m.name}: {m.what} ({m.package}=={fetch_pretrained.WHEELS[m.package]['version']} "
                  f"{m.file})")
        return 0
    names = list(MODELS) if args.all else args.models
    unknown = [n for n in names if n not in MODELS]
    if unknown or not names:
        parser.error(f"unknown model {', '.join(unknown)}; one of {', '.join(MODELS)}"
                     if unknown else "name a model (--list) or --all")
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or tmp
        os.makedirs(work, exist_ok=True)
        for name in names:
            results[name] = check_model(MODELS[name], args, work)
    if len(names) > 1:
        print("pretrained models: " + ", ".join(
            f"{sum(r == k for r in results.values())} {k.lower()}ed" if k != "SKIP" else
            f"{sum(r == k for r in results.values())} skipped" for k in ("PASS", "FAIL", "SKIP")))
    return 1 if "FAIL" in results.values() else 0


if __name__ == "__main__":
    sys.exit(main())
