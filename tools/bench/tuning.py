"""The tune part of tools/bench: model-only against tuned, same run.

Per model and thread count:
  1. infer-tune (python -m infer.tune.cli) tunes the model under a budget
     into build/bench/work/tune/<model>.t<N>.db.json (--tune-reuse: an
     existing database is replayed as it is); its wall time is the tuning time;
  2. every convolution and contraction of the model is measured again, the
     model's code and the tuned code alternating over an even number of
     rounds (a fresh measurement: the tuner's own figures favour its
     winner): an op whose weight layout the database changes as its layout
     task (the model's layout with the model's schedules against the tuned
     layout with the database's schedules), any other as its schedule task
     (with its epilogue). Code the database does not change counts as 1.0x;
  3. the whole model: onnxruntime, ours with the model's schedules and ours
     replaying the database (infer-run --tuning-db), alternating over several
     rounds; the tuned output is checked against onnxruntime's;
  4. each op's headroom: its model time against its FLOPs at the FMA peak
     the run measured (peak.best_ms), how much faster any schedule could be.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

import peak
import workloads
from runners import max_abs_diff, save_feeds

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))
from infer.tune import cli as tune_cli  # noqa: E402
from infer.tune import database  # noqa: E402
from infer.tune.runners import calls_for, measure  # noqa: E402


def _compare(row, model_job, tuned_job, rounds, same):
    """Times `model_job` against `tuned_job` into `row`: alternating over an
    even number of rounds, or once when `same` (the same code)."""
    first = measure({**model_job, "warmup": 1, "repeat": 3})
    if first["status"] != "ok":
        return {**row, "error": first.get("detail", first["status"])}
    calls = calls_for(first["median_ms"], 40.0)
    if same:
        again = measure({**model_job, **calls})
        ms = again["median_ms"] if again["status"] == "ok" else first["median_ms"]
        return {**row, "model_ms": ms, "tuned_ms": ms, "speedup": 1.0, "same_schedule": True}
    times = {"model": [], "tuned": []}
    # An even number of rounds, the order alternating (model first, then
    # tuned first): a drift of the machine's speed hits both alike.
    for r in range(rounds + rounds % 2):
        for which in (("model", "tuned") if r % 2 == 0 else ("tuned", "model")):
            result = measure({**(model_job if which == "model" else tuned_job), **calls})
            if result["status"] == "ok":
                times[which].append(result["median_ms"])
    if not times["model"] or not times["tuned"]:
        return {**row, "error": "a measurement failed"}
    model_ms, tuned_ms = float(np.median(times["model"])), float(np.median(times["tuned"]))
    return {**row, "model_ms": model_ms, "tuned_ms": tuned_ms, "speedup": model_ms / tuned_ms,
            "rounds_model_ms": times["model"], "rounds_tuned_ms": times["tuned"]}


def _job(module, inputs, bin_dir, threads, tuning_db=None):
    return {"module": module, "inputs": inputs, "threads": threads, "timeout": 120,
            "bin": bin_dir, "launcher": None, "seed": 0, "tuning_db": tuning_db}


def _op_times(layout_tasks, db, bin_dir, threads, rounds):
    """Per convolution/contraction whose weight layout the database changes
    (a layout task): the model's layout and schedules against the
    database's. Returns the rows and the keys of the schedule tasks the
    tuned code holds (an op that keeps the model's layout is measured as its
    schedule task, which holds its epilogue as the tuner timed it)."""
    records = {r["key"]: r for r in db["records"]}
    rows, covered = [], set()
    with tempfile.TemporaryDirectory(prefix="bench-tune-") as work:
        for task in layout_tasks:
            variants = task["variants"]
            record = records.get(task["key"])
            tuned = next((v for v in variants if record and v["layout"] == record["layout"]),
                         variants[0])
            if tuned is variants[0]:
                continue
            # The schedule tasks of the tuned code, and whether the database
            # changes any of their schedules.
            module = os.path.join(work, "tuned.mlir")
            with open(module, "w") as f:
                f.write(tuned["module"])
            keys = [t["key"] for t in tune_cli.extract_tasks(module, bin_dir, threads=threads)]
            covered.update(keys)
            schedules = [records[k] for k in keys if k in records and
                         records[k].get("changes", "model") != "model"]
            changes = "; ".join([f"layout: {tuned['text']}"] +
                                [f"schedule: {r['changes']}" for r in schedules])
            row = {"op": task["op"], "key": task["key"], "kind": "layout",
                   "count": task["count"], "changes": changes, "gflop": task["flops"] / 1e9,
                   "layout": tuned["text"], "model_layout": variants[0]["text"]}
            rows.append(_compare(row, _job(variants[0]["module"], variants[0]["inputs"],
                                           bin_dir, threads),
                                 _job(tuned["module"], tuned["inputs"], bin_dir, threads,
                                      json.dumps(db)),
                                 rounds, same=False))
    return rows, covered


def _task_times(tasks, db, bin_dir, threads, rounds, covered=()):
    """Per convolution/contraction task with a record (not in `covered`):
    model's and tuned schedule, alternating, `rounds` measurements each."""
    records = {r["key"]: r for r in db["records"]}
    rows = []
    for task in tasks:
        record = records.get(task["key"])
        if task["kind"] not in ("convolution", "contraction") or not record or \
                task["key"] in covered:
            continue
        # Multiply-adds of a convolution or contraction: the product of its
        # loop extents.
        row = {"op": task["op"], "key": task["key"], "kind": task["kind"],
               "count": task["count"], "changes": record.get("changes", ""),
               "recorded_tuned_ms": record.get("tuned_ms"),
               "gflop": 2.0 * float(np.prod(task["loops"])) / 1e9}
        same = record["schedule"].replace("origin = tuned", "origin = model") == task["schedule"]
        tuned_module = task["module"].replace(task["schedule"], record["schedule"])
        rows.append(_compare(row, _job(task["module"], task["inputs"], bin_dir, threads),
                             _job(tuned_module, task["inputs"], bin_dir, threads),
                             rounds, same))
    return rows


def part_tune(bench, names, load_model, budget_s, rounds, reuse):
    folder = os.path.join(bench.work, "tune")
    os.makedirs(folder, exist_ok=True)
    items = []
    for i, name in enumerate(names, 1):
        model, source = load_model(name)
        feeds = workloads.model_feeds(model)
        stem = os.path.join(folder, name)
        onnx.save(model, stem + ".onnx")
        bench.ours.import_onnx(stem + ".onnx", stem + ".mlir")
        inputs = save_feeds(stem, feeds)
        expected = bench.ort.run(model.SerializeToString(), feeds, 1, 1, 0)[1]
        item = {"name": name, "source": source, "threads": {}}
        for t in bench.threads:
            db_path = f"{stem}.t{t}.db.json"
            entry = {"database": os.path.relpath(db_path, ROOT)}
            if reuse and os.path.exists(db_path):
                entry["tuning"] = "reused"
            else:
                if os.path.exists(db_path):
                    os.remove(db_path)
                start = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "infer.tune.cli", stem + ".mlir", "--threads", str(t),
                     "--budget", f"{budget_s}s", "-o", db_path, "--bin", bench.ours.bin_dir],
                    capture_output=True, text=True)
                entry["tuning_wall_s"] = round(time.perf_counter() - start, 1)
                entry["tuning_log"] = proc.stderr.strip().splitlines()[-1:] if proc.stderr else []
                if proc.returncode:
                    entry["error"] = "infer-tune failed: " + proc.stderr.strip()[-400:]
                    item["threads"][str(t)] = entry
                    continue
            with open(db_path) as f:
                db = json.load(f)
            entry["tasks_tuned"] = len(db["records"])
            entry["layouts_tuned"] = sum(database.is_layout(r) for r in db["records"])
            entry["tuning_s_in_db"] = round(sum(r.get("tuning_s", 0) for r in db["records"]), 1)
            entry["check"] = next((c for c in db.get("checks", [])
                                   if c.get("threads") == t), None)
            # The schedule tasks of the compile that replays the layouts.
            layout_db = f"{stem}.t{t}.layouts.json"
            database.save(database.layouts_only(db), layout_db)
            tasks = tune_cli.extract_tasks(stem + ".mlir", bench.ours.bin_dir, threads=t,
                                           tuning_db=layout_db)
            layout_tasks = tune_cli.extract_tasks(stem + ".mlir", bench.ours.bin_dir,
                                                  threads=t, layouts=True)
            bench.say(f"[tune {i}/{len(names)}] {name} {t}T: tuned "
                      f"{entry['tasks_tuned']} tasks"
                      + (f" in {entry['tuning_wall_s']} s" if "tuning_wall_s" in entry else "")
                      + "; measuring conv/matmul ops again")
            ops, covered = _op_times(layout_tasks, db, bench.ours.bin_dir, t, rounds)
            entry["tasks"] = ops + _task_times(tasks, db, bench.ours.bin_dir, t, rounds,
                                               covered)
            # How much faster any schedule could make each op: its model time
            # against its FLOPs at the measured peak (peak.best_ms), measured
            # again now (a burst at the start of the run lowers it).
            bench.peak = peak.merge(bench.peak, peak.measure(bench.work, bench.threads))
            for r in entry["tasks"]:
                best = peak.best_ms(r["gflop"], bench.peak, t) if "model_ms" in r else None
                if best:
                    r["bound_ms"] = best
                    r["headroom"] = r["model_ms"] / best
            headroom = [r["headroom"] for r in entry["tasks"] if "headroom" in r]
            entry["median_task_headroom"] = float(np.median(headroom)) if headroom else None
            speedups = sorted(r["speedup"] for r in entry["tasks"] if "speedup" in r)
            entry["median_task_speedup"] = float(np.median(speedups)) if speedups else None
            changed = [r["speedup"] for r in entry["tasks"]
                       if "speedup" in r and not r.get("same_schedule")]
            entry["tasks_changed"] = len(changed)
            entry["median_changed_task_speedup"] = float(np.median(changed)) if changed else None
            # The whole model, the three alternating.
            medians = {"ort": [], "model": [], "tuned": []}
            walls = {"model": [], "tuned": []}
            for r in range(rounds):
                timing, _ = bench.ort.run(model.SerializeToString(), feeds, t, bench.runs,
                                          bench.warmup)
                medians["ort"].append(timing["median_ms"])
                time.sleep(0.25)
                for which in (("model", "tuned") if r % 2 == 0 else ("tuned", "model")):
                    extra = ["--tuning-db", db_path] if which == "tuned" else []
                    timing, outs, wall = bench.ours.run(stem + ".mlir", inputs,
                                                        f"{stem}.out.npy", t, bench.runs,
                                                        bench.warmup, extra)
                    medians[which].append(timing["median_ms"])
                    walls[which].append(wall)
                    if which == "tuned":
                        entry["tuned_max_abs_diff"] = max(
                            max_abs_diff(o, e) for o, e in zip(outs, expected))
                        entry["tuned_match"] = all(
                            bool(np.allclose(o, e, rtol=1e-3, atol=1e-4))
                            for o, e in zip(outs, expected))
            for which, values in medians.items():
                entry[f"{which}_ms"] = float(np.median(values))
                entry[f"{which}_round_ms"] = values
            for which, values in walls.items():
                entry[f"{which}_infer_run_wall_s"] = float(np.median(values))
            entry["speedup"] = entry["model_ms"] / entry["tuned_ms"]
            item["threads"][str(t)] = entry
            bench.say(f"[tune {i}/{len(names)}] {name} {t}T: median conv/matmul task "
                      f"{entry['median_task_speedup'] or 0:.3f}x; model "
                      f"{entry['model_ms']:.3f} ms, tuned {entry['tuned_ms']:.3f} ms "
                      f"({entry['speedup']:.3f}x), onnxruntime {entry['ort_ms']:.3f} ms")
        items.append(item)
    return items


def markdown(items, h):
    lines = [f"{h} Tuning: model-only against tuned (same run)", "",
             "infer-tune measured each model's weight layouts and schedules under the "
             "budget below, and last timed the whole model without and with its database "
             "(its whole-model check: the fastest of its rounds); then, in this run, each "
             "convolution and contraction was measured again with the model's code and the tuned code alternating (an op "
             "whose weight layout the database changes as its layout task: model's layout "
             "and schedules against the database's, without its epilogue; any other as its "
             "schedule task, with its epilogue), and the whole "
             "model with onnxruntime, the model's code and the database replayed "
             "(`infer-run --tuning-db`), alternating. Medians of the rounds' medians. An "
             "op whose records keep the model's layout and schedules runs the same code: "
             "1.0x. Headroom: the model's time of an op against the least time any schedule "
             "could take, its FLOPs at the measured FMA peak (on one thread, or split over "
             "the threads plus one parallel loop's fork and join, whichever is less; memory "
             "not counted): no schedule makes the op faster than that.", "",
             "| model | threads | tuning s | records (layouts) | median conv/matmul task "
             "speed-up (of those the tuner changed) | median task's headroom "
             "| ORT ms | model-only ms | tuned ms | tuned speed-up | tuned/ORT "
             "| infer-tune's whole-model check | compile+run s model / tuned |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for item in items:
        for t, e in item["threads"].items():
            if "error" in e:
                lines.append(f"| {item['name']} | {t} | failed: {e['error'][:100]} "
                             "| | | | | | | | | | |")
                continue
            tuning = e.get("tuning_wall_s", "reused")
            bad = "" if e.get("tuned_match") else " (mismatch)"
            lines.append(
                f"| {item['name']}{bad} | {t} | {tuning} | {e['tasks_tuned']} "
                f"({e.get('layouts_tuned', 0)}) | "
                f"{e['median_task_speedup'] or 0:.3f}x ("
                + (f"{e['median_changed_task_speedup']:.3f}x of {e['tasks_changed']}"
                   if e.get("median_changed_task_speedup") else "-")
                + ") | " + (f"{e['median_task_headroom']:.3f}x" if e.get("median_task_headroom")
                            else "-")
                + f" | {e['ort_ms']:.3f} | "
                f"{e['model_ms']:.3f} | {e['tuned_ms']:.3f} | {e['speedup']:.3f}x | "
                f"{e['tuned_ms'] / e['ort_ms']:.2f} | "
                + (f"{e['check']['speedup']:.3f}x, {e['check']['verdict']}" if e.get("check")
                   else "-")
                + f" | {e['model_infer_run_wall_s']:.1f} / "
                f"{e['tuned_infer_run_wall_s']:.1f} |")
    lines.append("")
    for item in items:
        for t, e in item["threads"].items():
            if not e.get("tasks"):
                continue
            lines += [f"{item['name']}, {t} threads, convolutions and contractions "
                      "(a layout task: an op whose weight layout changed, the model's in "
                      "brackets; else the schedule task; recorded: the tuned time "
                      "infer-tune measured for a schedule task; model and tuned: measured "
                      "again in this run):", "",
                      "| task | ops | model ms | tuned ms | speed-up | recorded tuned ms "
                      "| GFLOP/s model / tuned | headroom | tuned |",
                      "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
            ratios = []
            for r in e["tasks"]:
                if "error" in r:
                    lines.append(f"| {r['op']} | | failed: {r['error'][:80]} | | | | | | |")
                    continue
                rec = r.get("recorded_tuned_ms")
                gf = r.get("gflop")
                if r["kind"] == "layout":
                    r = {**r, "op": f"{r['op']} ({r['model_layout']})"}
                rate = (lambda ms: f"{gf / ms * 1e3:.0f}" if gf else "-")
                room = f"{r['headroom']:.2f}x" if "headroom" in r else "-"
                if r.get("same_schedule"):
                    lines.append(f"| {r['op']} | {r['count']} | {r['model_ms']:.4f} | same "
                                 f"schedule | 1.000x | "
                                 + (f"{rec:.4f}" if rec else "-")
                                 + f" | {rate(r['model_ms'])} | {room} | model |")
                    continue
                if rec:
                    ratios.append(r["tuned_ms"] / rec)
                lines.append(f"| {r['op']} | {r['count']} | {r['model_ms']:.4f} | "
                             f"{r['tuned_ms']:.4f} | {r['speedup']:.3f}x | "
                             + (f"{rec:.4f}" if rec else "-")
                             + f" | {rate(r['model_ms'])} / {rate(r['tuned_ms'])} | {room} "
                             f"| {r['changes']} |")
            if ratios:
                lines += ["", f"Replayed against recorded tuned time: median "
                          f"{float(np.median(ratios)):.3f}x (range {min(ratios):.2f}-"
                          f"{max(ratios):.2f}) over {len(ratios)} tasks."]
            lines.append("")
    return lines
