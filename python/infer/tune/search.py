"""Model-guided evolutionary search over the schedules of one task.

1. The model's schedule is measured first: it is the baseline, and its time
   sets how many calls a measurement takes (about `target_ms` of timed
   calls, at least 5).
2. Generation 0 is the model's neighbours (one knob one step away); later
   generations are mutations (one or two knobs) and crossovers of the best
   measured schedules, plus the best one's neighbours.
3. Of each generation's unmeasured, valid candidates (Space.valid), the
   model's ranking (Space.predict) picks all but one to measure; the last is
   drawn at random, so that the search is not confined to what the model
   believes.
4. The finalists (the best few) and the model's schedule are measured again,
   interleaved, over several rounds; a finalist's time is the fastest of its
   rounds (interference only slows a measurement down). The fastest replaces
   the model's schedule only when it is faster by more than `min_gain`,
   faster in the median of the rounds too, and faster in most of the rounds
   (noise is not a speed-up).

Every random choice comes from one generator seeded by the seed and the task
key, and results are read in the order they were submitted: with the same
seed, trial budget and measurements, the same candidates are measured.
"""
import random
import time

import numpy as np

from .runners import calls_for
from .space import Space


def run_jobs(runner, jobs):
    """The results of `jobs` submitted to `runner`, in submission order; a
    runner that fails itself (a lost Ray node) gives an "error" result."""
    futures = [runner.submit(job) for job in jobs]
    results = []
    for future in futures:
        try:
            results.append(future.result())
        except Exception as e:
            results.append({"status": "error", "detail": f"runner: {e}"})
    return results


def summarize(rounds):
    """key -> its time: the fastest of its rounds. Interference from the rest
    of the machine only ever slows a measurement down, and a burst of it
    can last longer than a round, so the fastest round is the one least
    disturbed; a median of few rounds follows the bursts."""
    return {k: float(min(v)) for k, v in rounds.items() if v}


def pick_winner(rounds, final, model_key, min_gain):
    """The fastest of `final` (summarize(rounds)) that beats the model's by
    more than `min_gain`, is faster in the median of its rounds as well, and
    faster in most rounds (a single lucky round is noise, not a speed-up);
    else `model_key`."""
    model_ms = final.get(model_key)
    if model_ms is None:
        return model_key
    for key in sorted(final, key=final.get):
        if key == model_key or final[key] > model_ms * (1 - min_gain):
            break
        pairs = list(zip(rounds[key], rounds[model_key]))
        if 2 * sum(a < b for a, b in pairs) > len(pairs) and \
                np.median(rounds[key]) < np.median(rounds[model_key]):
            return key
    return model_key


class TaskTuner:
    def __init__(self, task, runner, options, progress=None):
        self.task = task
        self.runner = runner
        self.options = options
        self.progress = progress
        self.space = Space(task)
        self.rng = random.Random(f"{options['seed']}:{task['key']}")
        self.measured = {}   # space key -> entry
        self.order = []      # space keys in measurement order
        self.repeat, self.warmup = 5, 1

    # -- measuring ---------------------------------------------------------

    def module(self, schedule):
        text = self.task["module"]
        old = self.task["schedule"]
        if text.count(old) != 1:
            raise RuntimeError(f"the task module of '{self.task['op']}' does not hold its "
                               "schedule exactly once")
        return text.replace(old, schedule.text())

    def job(self, config, repeat=None, warmup=None):
        o = self.options
        return {"module": self.module(self.space.schedule(config)),
                "inputs": self.task["inputs"], "threads": o["threads"],
                "warmup": warmup or self.warmup, "repeat": repeat or self.repeat,
                "timeout": o["timeout"], "bin": o["bin"], "launcher": o.get("launcher"),
                "seed": o["seed"]}

    def run_batch(self, configs, record=True, **kw):
        results = run_jobs(self.runner, [self.job(c, **kw) for c in configs])
        if record:
            for config, result in zip(configs, results):
                key = self.space.key(config)
                self.measured[key] = {"config": config, **result}
                self.order.append(key)
        return results

    def ok_entries(self):
        return sorted((e for e in self.measured.values() if e["status"] == "ok"),
                      key=lambda e: e["median_ms"])

    # -- proposing ---------------------------------------------------------

    def proposals(self, generation):
        space = self.space
        if generation == 0:
            pool = space.neighbours(space.model_config())
        else:
            parents = [e["config"] for e in self.ok_entries()[:4]] or [space.model_config()]
            pool = space.neighbours(parents[0])
            for _ in range(24):
                pool.append(space.mutate(self.rng.choice(parents), self.rng,
                                         self.rng.choice((1, 1, 2))))
            for _ in range(8):
                if len(parents) > 1:
                    a, b = self.rng.sample(parents, 2)
                    pool.append(space.crossover(a, b, self.rng))
        fresh, seen = [], set()
        for config in pool:
            key = space.key(config)
            if key in self.measured or key in seen or not space.valid(config):
                continue
            seen.add(key)
            fresh.append(config)
        if not fresh:
            # The neighbourhood is exhausted: random points of the space.
            for _ in range(64):
                config = space.mutate(space.model_config(), self.rng, 3)
                key = space.key(config)
                if key not in self.measured and key not in seen and space.valid(config):
                    seen.add(key)
                    fresh.append(config)
        return fresh

    def choose(self, fresh, count):
        ranked = sorted(fresh, key=self.space.predict)
        if len(ranked) <= count:
            return ranked
        chosen = ranked[:count - 1]
        chosen.append(self.rng.choice(ranked[count - 1:]))
        return chosen

    # -- the search --------------------------------------------------------

    def tune(self, budget_s):
        o = self.options
        start = time.monotonic()
        space = self.space
        model = space.model_config()
        # The baseline, and the number of calls a measurement takes.
        first = self.run_batch([model], record=False, repeat=3, warmup=1)[0]
        if first["status"] != "ok":
            return self.record(start, None, None, note=f"model's schedule failed: "
                               f"{first['status']}: {first.get('detail', '')}")
        calls = calls_for(first["median_ms"], o["target_ms"])
        self.repeat, self.warmup = calls["repeat"], calls["warmup"]
        self.run_batch([model])
        generation = 0
        trials = o["trials"]
        while len(self.measured) < trials and time.monotonic() - start < budget_s:
            fresh = self.proposals(generation)
            if not fresh:
                break
            batch = self.choose(fresh, min(o["batch"], trials - len(self.measured)))
            self.run_batch(batch)
            generation += 1
            if self.progress:
                self.progress.update(self)
        return self.finish(start)

    def finish(self, start):
        o = self.options
        model_key = self.space.key(self.space.model_config())
        finalists = [e for e in self.ok_entries() if self.space.key(e["config"]) != model_key]
        finalists = finalists[:o["finalists"]]
        configs = [self.space.model_config()] + [e["config"] for e in finalists]
        rounds = {self.space.key(c): [] for c in configs}
        if finalists:
            for r in range(o["rounds"]):
                # Interleaved, a different order each round: drifts in the
                # machine's speed hit every finalist alike.
                order = configs[r % len(configs):] + configs[:r % len(configs)]
                for config, result in zip(order, self.run_batch(order, record=False)):
                    if result["status"] == "ok":
                        rounds[self.space.key(config)].append(result["median_ms"])
        else:
            rounds[model_key].append(self.measured[model_key]["median_ms"])
        # Not the exploration measurements: the finalists were chosen for
        # theirs being fast.
        final = summarize(rounds)
        return self.record(start, pick_winner(rounds, final, model_key, o["min_gain"]), final,
                           rounds=rounds)

    def record(self, start, best_key, final, note=None, rounds=None):
        space, task = self.space, self.task
        model_key = space.key(space.model_config())
        rounds = rounds or {}
        ok = self.ok_entries()
        failures = [e for k, e in self.measured.items() if e["status"] != "ok"]
        record = {
            "key": task["key"], "op": task["op"], "kind": task["kind"],
            "count": task["count"], "epilogue": task.get("epilogue", []),
            "model_schedule": task["schedule"],
            "measured": len(self.measured), "failures": len(failures),
            "space_size": space.size(),
            "tuning_s": round(time.monotonic() - start, 2),
        }
        if best_key is None:
            record.update(schedule=task["schedule"].replace("origin = model", "origin = tuned"),
                          model_ms=None, tuned_ms=None, note=note)
            return record
        best = self.measured[best_key]["config"]
        record.update(
            schedule=space.schedule(best).text(),
            changes=space.describe(best),
            model_ms=round(final[model_key], 6),
            tuned_ms=round(final[best_key], 6),
            speedup=round(final[model_key] / final[best_key], 4),
            candidates=[{"schedule": space.schedule(e["config"]).text(),
                         "changes": space.describe(e["config"]),
                         "median_ms": round(e["median_ms"], 6),
                         "final_ms": round(final[space.key(e["config"])], 6)
                         if space.key(e["config"]) in final else None,
                         "rounds_ms": [round(t, 6) for t in rounds.get(space.key(e["config"]), [])]}
                        for e in ok[:5]],
            model_rounds_ms=[round(t, 6) for t in rounds.get(model_key, [])],
            failed=[{"schedule": space.schedule(e["config"]).text(), "status": e["status"],
                     "detail": e.get("detail", "")} for e in failures[:10]],
            repeat=self.repeat)
        if note:
            record["note"] = note
        return record

    # -- for the progress bar ------------------------------------------------

    def best(self):
        ok = self.ok_entries()
        model = self.measured.get(self.space.key(self.space.model_config()))
        return (ok[0]["median_ms"] if ok else None,
                model["median_ms"] if model and model["status"] == "ok" else None)


class LayoutTuner:
    """Times the weight layouts of one layout task (a KxK convolution direct
    or as im2col times a packed filter, the panel width, packed or not),
    each compiled with the model's schedules, interleaved over the rounds;
    the fastest replaces the model's layout by the rule of pick_winner."""

    def __init__(self, task, runner, options):
        self.task = task
        self.runner = runner
        self.options = options
        self.measured = 0

    def job(self, variant, repeat, warmup):
        o = self.options
        return {"module": variant["module"], "inputs": variant["inputs"],
                "threads": o["threads"], "warmup": warmup, "repeat": repeat,
                "timeout": o["timeout"], "bin": o["bin"], "launcher": o.get("launcher"),
                "seed": o["seed"]}

    def run(self, indices, repeat, warmup):
        variants = self.task["variants"]
        self.measured += len(indices)
        return run_jobs(self.runner, [self.job(variants[i], repeat, warmup) for i in indices])

    def tune(self, budget_s):
        o = self.options
        start = time.monotonic()
        variants = self.task["variants"]
        everyone = list(range(len(variants)))
        # Round 0 also sets the calls per measurement (from the model's).
        first = self.run(everyone, repeat=3, warmup=1)
        failed = {i: r for i, r in zip(everyone, first) if r["status"] != "ok"}
        if 0 in failed:
            return self.record(start, None, {}, failed, note=f"model's layout failed: "
                               f"{failed[0]['status']}: {failed[0].get('detail', '')}")
        calls = calls_for(first[0]["median_ms"], o["target_ms"])
        repeat, warmup = calls["repeat"], calls["warmup"]
        alive = [i for i in everyone if i not in failed]
        rounds = {i: [] for i in alive}
        for r in range(o["rounds"]):
            if r >= 3 and time.monotonic() - start > budget_s:
                break
            order = alive[r % len(alive):] + alive[:r % len(alive)]
            for i, result in zip(order, self.run(order, repeat, warmup)):
                if result["status"] == "ok":
                    rounds[i].append(result["median_ms"])
                elif i:
                    failed[i] = result
                    alive.remove(i)
            if r >= 1:
                # A layout slower than the fastest by a third in every round
                # so far is out (an unpacked 3x3 convolution at 3x the time):
                # the rounds go to the contenders. Never the model's.
                best = min(min(rounds[i]) for i in alive)
                alive = [i for i in alive if i == 0 or min(rounds[i]) < 1.33 * best]
                if len(alive) == 1:
                    break
        final = {i: ms for i, ms in summarize(rounds).items() if i not in failed}
        rounds = {i: v for i, v in rounds.items() if i in final}
        return self.record(start, pick_winner(rounds, final, 0, o["min_gain"]), final, failed,
                           repeat=repeat, rounds=rounds)

    def record(self, start, best, final, failed, note=None, repeat=None, rounds=None):
        task = self.task
        variants = task["variants"]
        record = {"key": task["key"], "op": task["op"], "kind": "layout",
                  "count": task["count"], "flops": task.get("flops"),
                  "model_layout": task["model_layout"],
                  "model_text": variants[0]["text"],
                  "measured": self.measured, "failures": len(failed),
                  "space_size": len(variants),
                  "tuning_s": round(time.monotonic() - start, 2)}
        if best is None:
            record.update(layout=task["model_layout"], model_ms=None, tuned_ms=None, note=note)
            return record
        record.update(
            layout=variants[best]["layout"], layout_text=variants[best]["text"],
            changes="model" if best == 0 else variants[best]["text"],
            model_ms=round(final[0], 6), tuned_ms=round(final[best], 6),
            speedup=round(final[0] / final[best], 4),
            candidates=[{"layout": variants[i]["layout"], "text": variants[i]["text"],
                         "final_ms": round(ms, 6),
                         "rounds_ms": [round(t, 6) for t in rounds[i]]}
                        for i, ms in sorted(final.items(), key=lambda kv: kv[1])],
            failed=[{"layout": variants[i]["layout"], "text": variants[i]["text"],
                     "status": r["status"], "detail": r.get("detail", "")}
                    for i, r in failed.items()],
            repeat=repeat)
        return record
