"""The tuning database: reading, merging, writing and reporting.

The format (docs/tuning.md) is one JSON object:

  {"format": "infer-tuning-db", "schedule_version": 1,
   "records": [{"key": ..., "schedule": "#infer.schedule<...>", ...}, ...]}

`infer-cpu-select-schedule` (through `--tile="tuning-db=FILE"`,
`infer-run --tuning-db`, `infer-compile --tuning-db`) reads "key" and
"schedule" of each record (and "tuned_ms", "model_ms" and "compiler" for
its report); the other fields are for people and for `infer-tune --report`.
"""
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
                not isinstance(record.get("schedule"), str):
            raise TuningDbError(f"{path}: record {i} needs a \"key\" and a \"schedule\" string")
    return db


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


def report(db):
    """Per task: model-only and tuned time, speed-up; then the totals
    weighted by how many ops share each task."""
    rows = []
    total_model = total_tuned = tuning = 0.0
    for r in db["records"]:
        model, tuned, count = r.get("model_ms"), r.get("tuned_ms"), r.get("count", 1)
        if model and tuned:
            total_model += model * count
            total_tuned += tuned * count
        tuning += r.get("tuning_s", 0)
        rows.append((r.get("op", r["key"]), count, model, tuned,
                     model / tuned if model and tuned else None,
                     r.get("measured", 0), r.get("changes", "")))
    width = max([len(r[0]) for r in rows] + [4])
    out = [f"{'task':{width}}  {'ops':>3}  {'model ms':>9}  {'tuned ms':>9}  {'speed-up':>8}  "
           f"{'tried':>5}  change"]
    for op, count, model, tuned, speedup, measured, changes in rows:
        fmt = lambda v: f"{v:9.4f}" if v is not None else f"{'-':>9}"
        sp = f"{speedup:7.3f}x" if speedup else f"{'-':>8}"
        out.append(f"{op:{width}}  {count:3d}  {fmt(model)}  {fmt(tuned)}  {sp}  {measured:5d}  "
                   f"{changes}")
    speedups = sorted(r[4] for r in rows if r[4])
    if speedups:
        median = speedups[len(speedups) // 2] if len(speedups) % 2 else \
            (speedups[len(speedups) // 2 - 1] + speedups[len(speedups) // 2]) / 2
        out.append(f"{len(rows)} tasks; median speed-up {median:.3f}x; "
                   f"sum over ops: model {total_model:.3f} ms, tuned {total_tuned:.3f} ms "
                   f"({total_model / total_tuned:.3f}x); tuning time {tuning:.0f} s")
    return "\n".join(out)
