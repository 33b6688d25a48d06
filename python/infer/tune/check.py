"""The whole-model check: the model with the database replayed against the
model's own code.

Tasks are timed alone, with warm caches; in the model an op may find its
inputs in cache or not, and its neighbours may run slower after it. So after
the schedule phase infer-tune times the whole model (`infer-run` with random
inputs of @main's shapes) without and with the database, alternating over
`--check-rounds` rounds, and says which is faster under the tuner's rule
(search.pick_winner: the fastest of the rounds by `--min-gain`, the median
agreeing, most rounds won). The database keeps the result under "checks".

The check's time comes out of the budget: the model is run once first (which
also shows that it runs before anything is tuned), and the rounds are
reserved from its time.
"""
import os
import re
import time

from .database import timestamp
from .runners import NUMPY_TYPES, calls_for, measure
from .search import pick_winner, summarize

# Timed milliseconds per whole-model measurement (at least 5 calls).
CHECK_MS = 300.0
_ARG = re.compile(r"%[\w$.-]+\s*:\s*([^,{)]+)")
_TENSOR = re.compile(r"tensor<([^>]*)>")


class CheckSkipped(Exception):
    """The model cannot be checked (the reason is the message)."""


def model_inputs(text):
    """[{"shape", "type"}] of @main's arguments in the module `text`."""
    at = text.find("func.func @main(")
    if at < 0:
        raise CheckSkipped("the model has no @main")
    depth, end = 0, at + len("func.func @main")
    for end in range(end, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            break
    inputs = []
    for m in _ARG.finditer(text[at + len("func.func @main("):end]):
        t = _TENSOR.fullmatch(m.group(1).strip())
        if not t:
            raise CheckSkipped(f"@main takes a {m.group(1).strip()}, not a tensor")
        *dims, elem = t.group(1).split("x")
        if "?" in dims:
            raise CheckSkipped(f"@main takes a tensor of dynamic shape ({m.group(1).strip()})")
        if elem not in NUMPY_TYPES:
            raise CheckSkipped(f"no random inputs of type {elem} for @main")
        inputs.append({"shape": [int(d) for d in dims], "type": elem})
    return inputs


class WholeModelCheck:
    def __init__(self, mlir_path, options, rounds):
        with open(mlir_path) as f:
            self.text = f.read()
        self.name = os.path.basename(mlir_path)
        self.options = options
        self.rounds = rounds
        self.inputs = model_inputs(self.text)

    def job(self, calls, db_text=None):
        o = self.options
        job = {"module": self.text, "name": self.name, "inputs": self.inputs,
               "threads": o["threads"],
               "timeout": max(o["timeout"], 600), "bin": o["bin"],
               "launcher": o.get("launcher"), "seed": o["seed"], "whole_model": True,
               **calls}
        if db_text is not None:
            job["tuning_db"] = db_text
        return job

    def baseline(self):
        """Runs the model once: seconds it took (compile and calls)."""
        start = time.monotonic()
        first = measure(self.job({"repeat": 3, "warmup": 1}))
        if first["status"] != "ok":
            raise RuntimeError(f"the model does not run ({first['status']}): "
                               f"{first.get('detail', '')}")
        self.median_ms = first["median_ms"]
        self.calls = calls_for(first["median_ms"], CHECK_MS)
        self.seconds = time.monotonic() - start
        return self.seconds

    def run(self, db_text, version):
        """Both codes alternating over the rounds: the check's record."""
        rounds = {"model": [], "tuned": []}
        for r in range(self.rounds):
            for which in (("model", "tuned") if r % 2 == 0 else ("tuned", "model")):
                result = measure(self.job(self.calls, db_text if which == "tuned" else None))
                if result["status"] != "ok":
                    raise RuntimeError(f"the model with{'' if which == 'tuned' else 'out'} "
                                       f"the database failed ({result['status']}): "
                                       f"{result.get('detail', '')}")
                rounds[which].append(result["median_ms"])
        final = summarize(rounds)
        gain = self.options["min_gain"]
        if pick_winner(rounds, final, "model", gain) == "tuned":
            verdict = "faster"
        elif pick_winner(rounds, final, "tuned", gain) == "model":
            verdict = "slower"
        else:
            verdict = "within the noise rule"
        return {"model": self.name, "threads": self.options["threads"],
                "model_ms": round(final["model"], 6), "tuned_ms": round(final["tuned"], 6),
                "speedup": round(final["model"] / final["tuned"], 4), "verdict": verdict,
                "model_rounds_ms": [round(t, 6) for t in rounds["model"]],
                "tuned_rounds_ms": [round(t, 6) for t in rounds["tuned"]],
                "repeat": self.calls["repeat"], "compiler": version,
                "date": timestamp()}
