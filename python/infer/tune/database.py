"""The tuning database: reading, merging, writing and reporting.

The format (docs/tuning.md) is one JSON object:

  {"format": "infer-tuning-db", "schedule_version": 1,
   "records": [{"key": ..., "schedule": "#infer.schedule<...>", ...},
               {"key": "layout ...", "layout": {"im2col": false, "panel": 32},
                ...}, ...],
   "checks": [{"model": "resnet50.mlir", "threads": 2, "model_ms": ...,
               "tuned_ms": ..., "verdict": ..., ...}]}

"checks" (optional) holds the whole-model checks (check.py), the latest per
model and thread count.

`infer-cpu-select-schedule` (through `--tile="tuning-db=FILE"`,
`infer-run --tuning-db`, `infer-compile --tuning-db`) reads "key" and
"schedule" of each schedule record, `infer-cpu-pack-weights` "key" and
"layout" of each layout record (and "tuned_ms", "model_ms" for their
reports); the other fields are for people and for `infer-tune --report`.
"""
import datetime
import json
import os

FORMAT = "infer-tuning-db"
# What a schedule's tile lists mean to infer-tile (kScheduleVersion in
# include/infer/Codegen/CPU/Tuning.h): a database of another version is stale.
SCHEDULE_VERSION = 1


class TuningDbError(Exception):
    """A file that is not a usable tuning database."""


def empty():
    return {"format": FORMAT, "schedule_version": SCHEDULE_VERSION, "records": []}


def load(path):
    try:
        with open(path) as f:
            db = json.load(f)
    except OSError as e:
        raise TuningDbError(f"cannot read tuning database '{path}': {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise TuningDbError(f"{path}:{e.lineno}:{e.colno}: tuning database is not valid "
                            f"JSON: {e.msg}") from e
    if not isinstance(db, dict) or db.get("format") != FORMAT:
        raise TuningDbError(f"{path}: not an infer tuning database (no \"format\": "
                            f"\"{FORMAT}\")")
    if db.get("schedule_version") != SCHEDULE_VERSION:
        raise TuningDbError(f"{path}: stale tuning database: its schedules are of version "
                            f"{db.get('schedule_version')}, this infer-tune writes version "
                            f"{SCHEDULE_VERSION}; tune again")
    if not isinstance(db.get("records"), list):
        raise TuningDbError(f"{path}: tuning database has no \"records\" array")
    for i, record in enumerate(db["records"]):
        if not isinstance(record, dict) or not isinstance(record.get("key"), str) or \
                not (isinstance(record.get("schedule"), str) or is_layout(record)):
            raise TuningDbError(f"{path}: record {i} needs a \"key\" and a \"schedule\" string "
                                f"or a \"layout\" object")
    checks = db.get("checks", [])
    if not isinstance(checks, list) or not all(
            isinstance(c, dict) and isinstance(c.get("model"), str) for c in checks):
        raise TuningDbError(f"{path}: \"checks\" must be an array of objects with a "
                            f"\"model\" string")
    return db


def timestamp():
    """Now, in UTC, as records and checks keep it."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_check(db, check):
    """Keeps `check` in `db`, replacing the one of the same model and
    thread count."""
    checks = [c for c in db.get("checks", [])
              if (c["model"], c.get("threads")) != (check["model"], check.get("threads"))]
    db["checks"] = checks + [check]


def is_layout(record):
    """Whether `record` is a weight layout's (infer-cpu-pack-weights)."""
    layout = record.get("layout")
    return isinstance(layout, dict) and isinstance(layout.get("im2col"), bool) and \
        isinstance(layout.get("panel"), int)


def layouts_only(db):
    """A database of `db`'s layout records: what a compile up to the
    schedule tasks replays, so that they are the tasks of the tuned
    layouts."""
    return {**empty(), "records": [r for r in db["records"] if is_layout(r)]}


def _faster(a, b):
    """Whether record a should replace record b of the same task."""
    ta, tb = a.get("tuned_ms"), b.get("tuned_ms")
    if ta is None:
        return False
    return tb is None or ta < tb


def merge(db, records):
    """Adds `records` to `db`: a task already there keeps the faster of the
    two records (their measurements from different runs are not mixed).
    Returns how many records were added or replaced."""
    index = {r["key"]: i for i, r in enumerate(db["records"])}
    changed = 0
    for record in records:
        at = index.get(record["key"])
        if at is None:
            index[record["key"]] = len(db["records"])
            db["records"].append(record)
            changed += 1
        elif _faster(record, db["records"][at]):
            db["records"][at] = record
            changed += 1
    return changed


def save(db, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(db, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def _median(values):
    values = sorted(values)
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


def report(db):
    """Per task: model-only and tuned time, speed-up; then the totals
    weighted by how many ops share each task. Layout tasks first, in a
    table of their own (their times overlap the schedule tasks')."""
    out = []
    layouts = [r for r in db["records"] if is_layout(r)]
    if layouts:
        width = max(len(r.get("op", r["key"])) for r in layouts)
        out.append(f"{'layout task':{width}}  {'ops':>3}  {'model ms':>9}  {'tuned ms':>9}  "
                   f"{'speed-up':>8}  layout (model's)")
        for r in layouts:
            model, tuned = r.get("model_ms"), r.get("tuned_ms")
            sp = f"{model / tuned:7.3f}x" if model and tuned else f"{'-':>8}"
            out.append(f"{r.get('op', r['key']):{width}}  {r.get('count', 1):3d}  "
                       f"{model or 0:9.4f}  {tuned or 0:9.4f}  {sp}  "
                       f"{r.get('changes', '')} ({r.get('model_text', '')})")
        speedups = [r["model_ms"] / r["tuned_ms"] for r in layouts
                    if r.get("model_ms") and r.get("tuned_ms")]
        if speedups:
            out.append(f"{len(layouts)} layout tasks; median speed-up {_median(speedups):.3f}x; "
                       f"tuning time {sum(r.get('tuning_s', 0) for r in layouts):.0f} s")
        out.append("")
    rows = []
    total_model = total_tuned = tuning = 0.0
    for r in db["records"]:
        if is_layout(r):
            continue
        model, tuned, count = r.get("model_ms"), r.get("tuned_ms"), r.get("count", 1)
        if model and tuned:
            total_model += model * count
            total_tuned += tuned * count
        tuning += r.get("tuning_s", 0)
        rows.append((r.get("op", r["key"]), count, model, tuned,
                     model / tuned if model and tuned else None,
                     r.get("measured", 0), r.get("changes", "")))
    width = max([len(r[0]) for r in rows] + [4])
    out.append(f"{'task':{width}}  {'ops':>3}  {'model ms':>9}  {'tuned ms':>9}  {'speed-up':>8}  "
               f"{'tried':>5}  change")
    for op, count, model, tuned, speedup, measured, changes in rows:
        fmt = lambda v: f"{v:9.4f}" if v is not None else f"{'-':>9}"
        sp = f"{speedup:7.3f}x" if speedup else f"{'-':>8}"
        out.append(f"{op:{width}}  {count:3d}  {fmt(model)}  {fmt(tuned)}  {sp}  {measured:5d}  "
                   f"{changes}")
    speedups = sorted(r[4] for r in rows if r[4])
    if speedups:
        out.append(f"{len(rows)} tasks; median speed-up {_median(speedups):.3f}x; "
                   f"sum over ops: model {total_model:.3f} ms, tuned {total_tuned:.3f} ms "
                   f"({total_model / total_tuned:.3f}x); tuning time {tuning:.0f} s")
    for c in db.get("checks", []):
        out.append(f"whole model {c['model']}, {c.get('threads')} threads, "
                   f"{len(c.get('model_rounds_ms', []))} rounds: model-only "
                   f"{c.get('model_ms', 0):.4f} ms, tuned {c.get('tuned_ms', 0):.4f} ms "
                   f"({c.get('speedup', 0):.3f}x): {c.get('verdict', '?')} ({c.get('date', '')})")
    return "\n".join(out)
