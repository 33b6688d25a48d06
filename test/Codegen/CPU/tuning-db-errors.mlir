// REQUIRES: numpy
// RUN: not infer-opt %s --tile="tuning-db=%t.missing.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: printf '{"format": "infer-tuning-db",\n  "schedule_version": 1, "records": [}\n' > %t.corrupt.json
// RUN: not infer-opt %s --tile="tuning-db=%t.corrupt.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CORRUPT
// RUN: echo '{"records": []}' > %t.other.json
// RUN: not infer-opt %s --tile="tuning-db=%t.other.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OTHER
// RUN: echo '{"format": "infer-tuning-db", "schedule_version": 0, "records": []}' > %t.stale.json
// RUN: not infer-opt %s --tile="tuning-db=%t.stale.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: echo '{"format": "infer-tuning-db", "schedule_version": 1}' > %t.norecords.json
// RUN: not infer-opt %s --tile="tuning-db=%t.norecords.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NORECORDS
// RUN: printf '{"format": "infer-tuning-db", "schedule_version": 1, "records": [\n {"key": "a", "schedule": "#infer.schedule<kind = contraction>"},\n {"schedule": "x"}]}\n' > %t.record.json
// RUN: not infer-opt %s --tile="tuning-db=%t.record.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SCHEDULE
// RUN: printf '{"format": "infer-tuning-db", "schedule_version": 1, "records": [\n {"key": "a", "schedule": "#infer.schedule<kind = elementwise, distribute = [1], cache = [0], vector = [1], reduce = [0], order = [], origin = model, estimate_ns = 0>"},\n {"schedule": "x"}]}\n' > %t.nokey.json
// RUN: not infer-opt %s --tile="tuning-db=%t.nokey.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOKEY
// RUN: infer-opt %s --tune-tasks="output=%t.tasks.jsonl target-cpu=cascadelake threads=2 fuse=false" -o /dev/null
// RUN: %python %S/Inputs/make_tuning_db.py %t.tasks.jsonl %t.loops.json --loops 3
// RUN: not infer-opt %s --tile="target-cpu=cascadelake threads=2 tuning-db=%t.loops.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOOPS
// RUN: %python %S/Inputs/make_tuning_db.py %t.tasks.jsonl %t.race.json --set distribute:3=10
// RUN: not infer-opt %s --tile="target-cpu=cascadelake threads=2 tuning-db=%t.race.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RACE

// A tuning database that cannot be replayed is an error at the file (line
// and column where known), or at the op its stale record is for (another
// number of loops, thread tiles that would split a reduction); the compile
// stops.

// MISSING: error: cannot open tuning database '{{.*}}missing.json': No such file or directory
// CORRUPT: corrupt.json:2:38: error: tuning database is not valid JSON: Invalid JSON value
// OTHER: other.json:1:1: error: not an infer tuning database (expected an object with "format": "infer-tuning-db"; infer-tune writes one)
// STALE: stale.json:1:1: error: stale tuning database: its schedules are of version 0, this infer-mlir applies version 1; tune again with infer-tune
// NORECORDS: norecords.json:1:1: error: tuning database has no "records" array
// SCHEDULE: record.json:2:1: error: tuning database record 0: "schedule" is not an #infer.schedule attribute: '#infer.schedule<kind = contraction>' ({{.+}})
// NOKEY: nokey.json:3:1: error: tuning database record 1 needs a "key" and a "schedule" string
// LOOPS: tuning-db-errors.mlir:[[# @LINE + 5]]:8: error: 'linalg.generic' op stale tuning database '{{.*}}loops.json': the schedule of this task does not fit the op (it has 3 loops, the op 4); tune again with infer-tune
// RACE: tuning-db-errors.mlir:[[# @LINE + 4]]:8: error: 'linalg.generic' op stale tuning database '{{.*}}race.json': the schedule of this task does not fit the op (it splits reduction loop 3 over threads); tune again with infer-tune

func.func @main(%a: tensor<20x50xf32>) -> tensor<20x64xf32> {
  %m = infer.constant dense<0.125> : tensor<50x64xf32>
  %y = infer.matmul %a, %m : (tensor<20x50xf32>, tensor<50x64xf32>) -> tensor<20x64xf32>
  return %y : tensor<20x64xf32>
}
