"""Writes a tuning database for the layout tests from the layout tasks that
`infer-opt --tune-tasks="layouts=true"` wrote: per --set OP=IM2COL:PANEL,
a record for the task whose op starts with OP holding that layout (IM2COL
is 0 or 1) as it is, whether or not the task offers it."""
import argparse
import json

from infer.tune import database

p = argparse.ArgumentParser()
p.add_argument("tasks")
p.add_argument("out")
p.add_argument("--set", action="append", default=[])
args = p.parse_args()

tasks = [json.loads(line) for line in open(args.tasks)]
db = database.empty()
for change in args.set:
    op, layout = change.rsplit("=", 1)
    im2col, panel = layout.split(":")
    task = next(t for t in tasks if t["op"].startswith(op))
    database.merge(db, [{"key": task["key"], "op": task["op"], "kind": "layout",
                         "layout": {"im2col": im2col == "1", "panel": int(panel)},
                         "model_layout": task["model_layout"],
                         "tuned_ms": 0.5, "model_ms": 0.75, "compiler": "test"}])
database.save(db, args.out)
