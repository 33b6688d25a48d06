"""Writes a tuning database for the tuning-db tests from the tasks that
`infer-opt --tune-tasks` wrote: one record, for the task whose op starts with
--op, holding the schedule given as knob changes (--set level:loop=value),
or --schedule TEXT as it is, or the model's with --loops N tile entries."""
import argparse
import json

from infer.tune import database
from infer.tune.space import Schedule

p = argparse.ArgumentParser()
p.add_argument("tasks")
p.add_argument("out")
p.add_argument("--op", default="linalg.generic")
p.add_argument("--set", action="append", default=[])
p.add_argument("--schedule")
p.add_argument("--loops", type=int)
args = p.parse_args()

tasks = [json.loads(line) for line in open(args.tasks)]
task = next(t for t in tasks if t["op"].startswith(args.op))
schedule = Schedule.parse(task["schedule"])
for change in args.set:
    entry, value = change.split("=")
    level, loop = entry.split(":")
    getattr(schedule, level)[int(loop)] = int(value)
if args.loops:
    for level in Schedule.LEVELS:
        setattr(schedule, level, (getattr(schedule, level) + [0] * args.loops)[:args.loops])
    schedule.order = []
text = args.schedule if args.schedule is not None else schedule.text()
db = database.empty()
database.merge(db, [{"key": task["key"], "op": task["op"], "schedule": text,
                     "model_schedule": task["schedule"], "tuned_ms": 0.5, "model_ms": 0.75,
                     "compiler": "test"}])
database.save(db, args.out)
