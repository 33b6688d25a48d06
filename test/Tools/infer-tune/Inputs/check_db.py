"""Summarizes a tuning database for tune.test: its header and records;
with --replayed REPORT, whether --tile-report gave each op the recorded
schedule (and, with --layouts, each layout task's op its recorded layout);
with --merged-from FIRST, what a merge kept."""
import argparse
import json

p = argparse.ArgumentParser()
p.add_argument("db")
p.add_argument("--replayed")
p.add_argument("--merged-from")
p.add_argument("--layouts", action="store_true")
args = p.parse_args()
db = json.load(open(args.db))
layouts = [r for r in db["records"] if "layout" in r]
records = [r for r in db["records"] if "schedule" in r]

if args.replayed:
    report = open(args.replayed).read()
    same = sum(f"infer-tile-report: {r['op']}: {r['schedule']};" in report for r in records)
    print(f"{len(records)} tuned schedules, {same} replayed as recorded")
    if args.layouts:
        same = sum(f"infer-tile-report: {r['op']}: weights {r['layout_text']}; tuned layout: "
                   in report for r in layouts)
        print(f"{len(layouts)} tuned layouts, {same} replayed as recorded")
elif args.merged_from:
    first = {r["key"]: r for r in json.load(open(args.merged_from))["records"]}
    conv = next(r for r in records if "conv" in r["op"])
    matmul = next(r for r in records if "conv" not in r["op"])
    print(f"merged: the first run's tasks: {set(first) == {r['key'] for r in records}}; "
          f"conv record kept: {conv == first[conv['key']]}; "
          f"matmul record the faster of the two runs: "
          f"{matmul['tuned_ms'] <= first[matmul['key']]['tuned_ms']}")
else:
    print("format", db["format"], "schedule_version", db["schedule_version"])
    print("compiler", records[0]["compiler"])
    for r in records:
        origin = "tuned" if "origin = tuned" in r["schedule"] else "other"
        print(f"record {r['op']}: measured {r['measured']}, candidates {len(r['candidates'])}, "
              f"tuned <= model: {r['tuned_ms'] <= r['model_ms']}, schedule origin {origin}")
    # Every finalist's time is the fastest of the rounds it records, and the
    # model's time the fastest of the model's.
    finalists = [c for r in records for c in r["candidates"] if c["final_ms"] is not None]
    print(f"finalists recorded: {len(finalists) > 0}; rounds agree: "
          f"{all(c['final_ms'] == min(c['rounds_ms']) for c in finalists)} "
          f"{all(r['model_ms'] == min(r['model_rounds_ms']) for r in records)}")
