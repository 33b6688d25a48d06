"""infer-tune: measure schedules of a model's tasks and write a tuning database.

  infer-tune model.mlir --budget 10m -o db.json [--threads N] [--trials N]
             [--runner local|ray] [--address HOST:PORT] [--jobs N] [--seed N]
  infer-tune --report db.json
  infer-tune --merge a.json b.json ... -o db.json
  infer-tune model.mlir --check db.json [--check-rounds N]

First the layout tasks (`infer-opt --tune-tasks="layouts=true"`: each
distinct op whose constant weights can be laid out more than one way, a KxK
convolution direct or as im2col times a packed filter, the panel width, or
no packing): every layout is timed with the model's schedules, and the
fastest is kept under the same rule as a schedule (`--layout-share` of the
budget). Then the schedule tasks of a compile with those layouts
(`infer-opt --tune-tasks`: the CPU pipeline up to the schedules, one task
per distinct op, shapes and target). Each is tuned under its share of the
rest of the budget (by the model's estimate of its time), in order of that
share; `-o` merges into an existing database. Last, the whole model is
timed without and with the database, alternating (`--check-rounds`; their
time comes out of the budget). `infer-opt --tile="tuning-db=db.json"`,
`infer-run --tuning-db` and `infer-compile --tuning-db` replay it.
docs/tuning.md has the format and the search.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from . import database
from .check import CheckSkipped, WholeModelCheck
from .runners import make_runner
from .search import LayoutTuner, TaskTuner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def parse_duration(text):
    """'90', '90s', '10m', '1h' -> seconds."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([smh]?)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: '{text}' (e.g. 90s, 10m, 1h)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def compiler_version(bin_dir):
    out = subprocess.run([os.path.join(bin_dir, "infer-opt"), "--version"],
                         capture_output=True, text=True).stdout
    return out.splitlines()[0].strip() if out else "infer-mlir (unknown version)"


def import_model(model, work):
    """`model` as .mlir: an .onnx model is imported into `work` first."""
    if not model.endswith(".onnx"):
        return model
    mlir = os.path.join(work, os.path.splitext(os.path.basename(model))[0] + ".mlir")
    proc = subprocess.run([sys.executable, "-m", "infer.onnx.importer", model, "-o", mlir],
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"importing {model} failed:\n{proc.stderr.strip()}")
    return mlir


def extract_tasks(model, bin_dir, threads=0, fuse=True, target_cpu="", layouts=False,
                  tuning_db=None):
    """The JSON tasks of `model` (.mlir, or .onnx imported first), as
    `infer-opt --tune-tasks` writes them: its layout tasks with `layouts`,
    else its schedule tasks (those of a compile that replays `tuning_db`'s
    layouts when given)."""
    with tempfile.TemporaryDirectory(prefix="infer-tune-") as work:
        model = import_model(model, work)
        out = os.path.join(work, "tasks.jsonl")
        options = f"output={out} threads={threads} fuse={str(fuse).lower()}"
        if target_cpu:
            options += f" target-cpu={target_cpu}"
        if layouts:
            options += " layouts=true"
        if tuning_db:
            options += f" tuning-db={tuning_db}"
        proc = subprocess.run([os.path.join(bin_dir, "infer-opt"), model,
                               f"--tune-tasks={options}", "-o", os.devnull],
                              capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"infer-opt --tune-tasks on {model} failed:\n"
                               f"{proc.stderr.strip()}")
        with open(out) as f:
            return [json.loads(line) for line in f if line.strip()]


class Progress:
    """One bar per task, redrawn in place on a terminal (a line per task
    otherwise): trials done, best so far against the model's schedule."""

    def __init__(self, total, quiet=False):
        self.total = total
        self.index = 0
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.label = ""
        self.start = time.monotonic()

    def begin(self, index, task, trials):
        self.index, self.trials = index, trials
        self.label = f"[{index + 1:2d}/{self.total}] {task['op'][:46]:46}"
        self.task_start = time.monotonic()

    def line(self, tuner):
        done = len(tuner.measured)
        width = 16
        filled = min(width, int(width * done / max(1, self.trials)))
        bar = "#" * filled + "." * (width - filled)
        best, model = tuner.best()
        text = f"{self.label} |{bar}| {done:3d}/{self.trials}"
        if best is not None and model:
            text += f"  best {best:.4f} ms (model {model:.4f}, {model / best:.2f}x)"
        return text + f"  {time.monotonic() - self.task_start:5.1f}s"

    def update(self, tuner):
        if self.tty and not self.quiet:
            sys.stderr.write("\r" + self.line(tuner)[:160] + "\033[K")
            sys.stderr.flush()

    def end(self, record):
        if self.quiet:
            return
        label = f"[{self.index + 1:2d}/{self.total}] {record['op']} "
        if record.get("tuned_ms"):
            text = (f"{label} model {record['model_ms']:.4f} ms -> tuned "
                    f"{record['tuned_ms']:.4f} ms ({record['speedup']:.3f}x) "
                    f"{record['measured']} tried, {record['failures']} failed, "
                    f"{record['tuning_s']:.0f}s: {record['changes']}")
        else:
            text = f"{label} not tuned: {record.get('note', '')}"
        sys.stderr.write(("\r" if self.tty else "") + text + ("\033[K\n" if self.tty else "\n"))
        sys.stderr.flush()


def stamp(record, task, version, seed):
    """What a record keeps of the run that measured it."""
    record.update(compiler=version, target=task["target"], seed=seed,
                  date=database.timestamp())


def keep(record, records, db, output):
    """A record whose measurement succeeded goes into `records` and `db`,
    and `db` is saved to `output` after every task: an interrupted run
    keeps its work."""
    if record.get("tuned_ms"):
        records.append(record)
        database.merge(db, [record])
        if output:
            database.save(db, output)


def tune_layouts(args, options, tasks, runner, db, version, budget_s):
    """The layout phase: each layout task (heaviest first, by multiply-adds
    times ops) gets its weight layouts timed while `budget_s` lasts.
    Returns the records whose measurement succeeded (merged into `db`)."""
    tasks.sort(key=lambda t: t["count"] * t["flops"], reverse=True)
    print(f"infer-tune: {len(tasks)} layout tasks, {budget_s:.0f} s", file=sys.stderr)
    records = []
    start = time.monotonic()
    for i, task in enumerate(tasks):
        left = budget_s - (time.monotonic() - start)
        if left <= 0:
            print(f"infer-tune: layout budget spent; {len(tasks) - i} layout tasks keep the "
                  f"model's layout", file=sys.stderr)
            break
        record = LayoutTuner(task, runner, options).tune(left / (len(tasks) - i))
        stamp(record, task, version, args.seed)
        if not args.quiet:
            label = f"[layout {i + 1:2d}/{len(tasks)}] {record['op']}"
            if record.get("tuned_ms"):
                text = (f"{label} {record['model_text']} {record['model_ms']:.4f} ms -> "
                        f"{record['changes']} {record['tuned_ms']:.4f} ms "
                        f"({record['speedup']:.3f}x), {record['tuning_s']:.0f}s")
            else:
                text = f"{label} not tuned: {record.get('note', '')}"
            print(text, file=sys.stderr)
        keep(record, records, db, args.output)
    return records


def make_options(args):
    return {"seed": args.seed, "threads": args.threads,
            "timeout": args.timeout, "bin": args.bin,
            "launcher": args.launcher.split() if args.launcher else None,
            "trials": args.trials, "batch": args.batch or max(2, args.jobs),
            "finalists": args.finalists, "rounds": args.rounds,
            "min_gain": args.min_gain, "target_ms": args.target_ms}


def tune(args):
    version = compiler_version(args.bin)
    options = make_options(args)
    db = database.load(args.output) if args.output and os.path.exists(args.output) \
        else database.empty()
    records = []
    start = time.monotonic()
    runner = None
    try:
        with tempfile.TemporaryDirectory(prefix="infer-tune-") as work:
            model = import_model(args.model, work)
            check, budget = whole_model_check(args, options, model)
            layout_db = None
            layout_tasks = extract_tasks(model, args.bin, args.threads, args.fuse,
                                         args.target_cpu, layouts=True) \
                if args.layouts and args.layout_share > 0 else []
            if layout_tasks:
                # With --threads 0 the code plans for every core the compiler
                # sees (the tasks' target says how many): time it on as many.
                options["threads"] = options["threads"] or \
                    layout_tasks[0]["target"]["threads"]
                runner = make_runner(args.runner, jobs=args.jobs, address=args.address,
                                     threads=options["threads"])
                records += tune_layouts(args, options, layout_tasks, runner, db, version,
                                        budget * args.layout_share)
            if any(database.is_layout(r) for r in db["records"]):
                # The schedule tasks are those of the tuned layouts.
                layout_db = os.path.join(work, "layouts.json")
                database.save(database.layouts_only(db), layout_db)
            tasks = extract_tasks(model, args.bin, args.threads, args.fuse,
                                  args.target_cpu, tuning_db=layout_db)
            # With --threads 0 the schedules plan for every core the compiler
            # sees (the tasks' target says how many): time them on as many.
            if not options["threads"]:
                options["threads"] = tasks[0]["target"]["threads"] if tasks else 1
            if runner is None:
                runner = make_runner(args.runner, jobs=args.jobs, address=args.address,
                                     threads=options["threads"])
            records += tune_schedules(args, options, tasks, runner, db, version,
                                      budget - (time.monotonic() - start))
            if check:
                run_check(check, db, version, args.output)
    finally:
        if runner:
            runner.close()
    if not args.output:
        json.dump(db, sys.stdout, indent=1)
        print()
    print(f"infer-tune: {len(records)} tasks tuned in {time.monotonic() - start:.0f} s"
          + (f"; database {args.output} ({len(db['records'])} records)" if args.output else ""),
          file=sys.stderr)
    return 0


def whole_model_check(args, options, model):
    """The whole-model check of `model` (check.py), its baseline run, and
    the budget left to tuning after its rounds are reserved; (None,
    --budget) without a check."""
    if args.check_rounds <= 0:
        return None, args.budget
    try:
        check = WholeModelCheck(model, {**options, "threads": args.threads}, args.check_rounds)
    except CheckSkipped as e:
        print(f"infer-tune: no whole-model check: {e}", file=sys.stderr)
        return None, args.budget
    seconds = check.baseline()
    # Every round runs the model twice, each taking about as long as the
    # baseline (a JIT compile) plus its calls.
    per_run = seconds + (check.calls["repeat"] + check.calls["warmup"]) * check.median_ms / 1e3
    most = int(0.3 * args.budget / (2 * per_run))
    if most < 1:
        print(f"infer-tune: no whole-model check: a round (two runs of the model, about "
              f"{2 * per_run:.0f} s) takes more than 30% of the budget", file=sys.stderr)
        return None, args.budget
    check.rounds = min(check.rounds, most)
    reserve = 2 * check.rounds * per_run
    print(f"infer-tune: the model runs in {check.median_ms:.3f} ms; the whole-model check "
          f"after tuning: {check.rounds} rounds, about {reserve:.0f} s", file=sys.stderr)
    return check, max(0.0, args.budget - reserve)


def check_only(args):
    """infer-tune model --check DB: the whole-model check of DB alone."""
    if args.check_rounds <= 0:
        raise RuntimeError("--check needs --check-rounds of at least 1")
    db = database.load(args.check)
    with tempfile.TemporaryDirectory(prefix="infer-tune-") as work:
        try:
            check = WholeModelCheck(import_model(args.model, work),
                                    make_options(args), args.check_rounds)
        except CheckSkipped as e:
            raise RuntimeError(f"no whole-model check: {e}") from e
        check.baseline()
        run_check(check, db, compiler_version(args.bin), args.check)
    return 0


def run_check(check, db, version, output):
    """The whole-model check against `db` (into it, saved to `output`)."""
    if all(r.get("changes") == "model" for r in db["records"]):
        print("infer-tune: whole model: the database keeps the model's layouts and schedules; "
              "the same code", file=sys.stderr)
        return
    result = check.run(json.dumps(db), version)
    database.add_check(db, result)
    if output:
        database.save(db, output)
    print(f"infer-tune: whole model, {check.rounds} rounds: model-only "
          f"{result['model_ms']:.4f} ms, tuned {result['tuned_ms']:.4f} ms "
          f"({result['speedup']:.3f}x): {result['verdict']}", file=sys.stderr)
    if result["verdict"] == "slower":
        print("infer-tune: warning: the database makes the whole model slower, though each "
              "record was faster timed alone (with warm caches); `--report` lists the "
              "records, `--no-layouts` or `--kinds` narrows what is tuned", file=sys.stderr)


def tune_schedules(args, options, tasks, runner, db, version, budget_s):
    """The schedule phase: each task, heaviest first by the model's
    estimate, under its share of `budget_s`. Returns the records whose
    measurement succeeded (merged into `db`)."""
    if args.kinds:
        kinds = set(args.kinds.split(","))
        tasks = [t for t in tasks if t["kind"] in kinds]
    weight = lambda t: t["count"] * max(1, t["estimate_ns"])
    total = sum(weight(t) for t in tasks) or 1
    chosen = [t for t in tasks if weight(t) / total >= args.min_share]
    skipped = len(tasks) - len(chosen)
    chosen.sort(key=weight, reverse=True)
    print(f"infer-tune: {len(chosen)} tasks of {args.model} "
          f"({skipped} below {args.min_share:.1%} of the estimated time left to the model), "
          f"{options['threads']} threads, budget {budget_s:.0f} s, "
          f"runner {args.runner}", file=sys.stderr)
    records = []
    progress = Progress(len(chosen), args.quiet)
    start = time.monotonic()
    left_weight = sum(weight(t) for t in chosen)
    for i, task in enumerate(chosen):
        left = budget_s - (time.monotonic() - start)
        if left <= 0:
            print(f"infer-tune: budget spent; {len(chosen) - i} tasks keep the model's "
                  f"schedule", file=sys.stderr)
            break
        share = left * weight(task) / max(1, left_weight)
        left_weight -= weight(task)
        task_budget = min(args.task_budget or share, max(share, args.min_task_s), left)
        progress.begin(i, task, args.trials)
        tuner = TaskTuner(task, runner, options, progress)
        record = tuner.tune(task_budget)
        stamp(record, task, version, args.seed)
        progress.end(record)
        keep(record, records, db, args.output)
    return records


def parse_args(argv):
    p = argparse.ArgumentParser(prog="infer-tune", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.split("\n")[2:]))
    p.add_argument("model", nargs="?", help="the model (.mlir of the infer dialect, or .onnx)")
    p.add_argument("-o", "--output", help="the tuning database to write (merged into when it "
                   "exists; default: stdout)")
    p.add_argument("--report", metavar="DB", help="print the tasks of a database: model-only "
                   "and tuned time, speed-up")
    p.add_argument("--merge", nargs="+", metavar="DB", help="merge databases into -o")
    p.add_argument("--budget", type=parse_duration, default=parse_duration("10m"),
                   help="time for the whole model (default 10m)")
    p.add_argument("--task-budget", type=parse_duration, default=None,
                   help="at most this much for one task")
    p.add_argument("--min-task-s", type=float, default=4.0,
                   help="at least this many seconds for a task that is tuned (default 4)")
    p.add_argument("--trials", type=int, default=48,
                   help="at most this many schedules measured per task (default 48)")
    p.add_argument("--batch", type=int, default=0,
                   help="candidates measured per generation (default max(2, jobs))")
    p.add_argument("--finalists", type=int, default=3)
    p.add_argument("--rounds", type=int, default=5,
                   help="interleaved re-measurements of the finalists (default 5)")
    p.add_argument("--min-gain", type=float, default=0.03,
                   help="a tuned schedule replaces the model's only when faster by more "
                   "than this fraction (default 0.03) and in most rounds")
    p.add_argument("--target-ms", type=float, default=60.0,
                   help="timed milliseconds per measurement (default 60)")
    p.add_argument("--threads", type=int, default=0,
                   help="threads to plan for and run on (default: every core)")
    p.add_argument("--target-cpu", default="", help="CPU to plan for (default: the host)")
    p.add_argument("--no-fuse", dest="fuse", action="store_false",
                   help="tasks of the unfused model (as infer-run --fuse=false)")
    p.add_argument("--no-layouts", dest="layouts", action="store_false",
                   help="keep the model's weight layouts (im2col or direct, panel width, "
                   "packed or not); tune the schedules only")
    p.add_argument("--layout-share", type=float, default=0.25,
                   help="fraction of --budget for the weight layouts, before the schedules "
                   "(default 0.25)")
    p.add_argument("--kinds", default="", help="only these schedule kinds (comma separated: "
                   "contraction,convolution,pooling,elementwise,reduction)")
    p.add_argument("--min-share", type=float, default=0.002,
                   help="tasks under this fraction of the estimated time keep the model's "
                   "schedule (default 0.002)")
    p.add_argument("--check", metavar="DB", help="only the whole-model check of the model "
                   "with DB (kept in DB)")
    p.add_argument("--check-rounds", type=int, default=4,
                   help="after tuning, time the whole model without and with the database, "
                   "alternating over this many rounds (default 4; 0: no check)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--runner", default="local", choices=["local", "ray"])
    p.add_argument("--address", help="the Ray cluster (HOST:PORT) for --runner ray")
    p.add_argument("--jobs", type=int, default=1,
                   help="local workers measuring at once (default 1)")
    p.add_argument("--launcher", help="command prefix of every worker (e.g. 'taskset -c 1')")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds before a candidate's worker is killed as hung (default 60)")
    p.add_argument("--bin", default=os.environ.get("INFER_BIN", os.path.join(ROOT, "build", "bin")),
                   help="the directory of infer-opt and infer-run")
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    if not args.report and not args.merge and not args.model:
        p.error("a model to tune, --report DB or --merge DB...")
    if args.merge and not args.output:
        p.error("--merge needs -o")
    if not 0 <= args.layout_share <= 1:
        p.error("--layout-share is a fraction of --budget, from 0 to 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.report:
            print(database.report(database.load(args.report)))
            return 0
        if args.merge:
            db = database.load(args.output) if os.path.exists(args.output) else database.empty()
            for path in args.merge:
                other = database.load(path)
                changed = database.merge(db, other["records"])
                for check in other.get("checks", []):
                    database.add_check(db, check)
                print(f"infer-tune: {path}: {changed} records added or replaced", file=sys.stderr)
            database.save(db, args.output)
            return 0
        if args.check:
            return check_only(args)
        return tune(args)
    except (database.TuningDbError, RuntimeError) as e:
        print(f"infer-tune: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
