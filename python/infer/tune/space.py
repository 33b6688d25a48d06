"""The search space of one tuning task, and the model that filters it.

A task (one line of `infer-opt --tune-tasks`) carries the op's loop extents,
its iterator types, the target's registers and caches, and the schedule the
analytical model chose. The knobs are the entries of that schedule's tile
lists that code generation exposes:

  distribute[i]  the thread split (tiles of the scf.forall), on the loops
                 the model splits and, for convolutions and contractions, on
                 the other parallel loops too (0: not split);
  cache[i]       cache tiles of reduction loops (K slabs of a contraction);
  vector[i]      the register tile: micro-kernel rows and columns, output
                 pixels and channels of a convolution, the vector width of an
                 elementwise op;
  reduce[i]      the reduction step inside the register tile (unrolling);
  order          the loop order of the register tiles.

Values are divisors of the loop extents (every tile is full and vectorizes
without masks). `Space.valid` rejects what cannot be a good schedule (a
register tile that spills, tiles that do not nest); `Space.predict` is a
relative cost from the target model (register-tile efficiency, thread
balance, cache footprint) that the search uses to choose which candidates
to measure.
"""
import itertools
import math


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def near(values, center, factor=4):
    """The values within `factor` of `center` (all of them when center is 0)."""
    if center <= 0:
        return list(values)
    return [v for v in values if center / factor <= v <= center * factor]


def spread(values, count):
    """At most `count` of `values`, evenly spaced, ends included."""
    values = sorted(set(values))
    if len(values) <= count:
        return values
    step = (len(values) - 1) / (count - 1)
    return sorted({values[round(i * step)] for i in range(count)})


class Schedule:
    """The tile lists of an #infer.schedule, as the attribute prints them."""

    LEVELS = ("distribute", "cache", "vector", "reduce")

    def __init__(self, kind, distribute, cache, vector, reduce, order, estimate_ns=0):
        self.kind = kind
        self.distribute = list(distribute)
        self.cache = list(cache)
        self.vector = list(vector)
        self.reduce = list(reduce)
        self.order = list(order)
        self.estimate_ns = int(estimate_ns)

    @staticmethod
    def parse(text):
        """#infer.schedule<kind = k, distribute = [..], ..., estimate_ns = N>"""
        body = text.strip()
        if not body.startswith("#infer.schedule<") or not body.endswith(">"):
            raise ValueError(f"not an #infer.schedule: {text!r}")
        body = body[len("#infer.schedule<"):-1]
        fields, depth, current = [], 0, ""
        for ch in body:
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            if ch == "," and depth == 0:
                fields.append(current)
                current = ""
            else:
                current += ch
        fields.append(current)
        values = {}
        for field in fields:
            name, _, value = field.partition("=")
            values[name.strip()] = value.strip()

        def tiles(name):
            inner = values[name].strip("[]").strip()
            return [int(v) for v in inner.split(",")] if inner else []

        return Schedule(values["kind"], tiles("distribute"), tiles("cache"), tiles("vector"),
                        tiles("reduce"), tiles("order"), int(values.get("estimate_ns", 0)))

    def text(self, origin="tuned"):
        def tl(values):
            return "[" + ", ".join(str(v) for v in values) + "]"
        return (f"#infer.schedule<kind = {self.kind}, distribute = {tl(self.distribute)}, "
                f"cache = {tl(self.cache)}, vector = {tl(self.vector)}, "
                f"reduce = {tl(self.reduce)}, order = {tl(self.order)}, origin = {origin}, "
                f"estimate_ns = {self.estimate_ns}>")


class Space:
    """The knobs of one task: a list of (level, loop) entries, each with the
    values it may take, plus the loop order."""

    def __init__(self, task):
        self.task = task
        self.loops = list(task["loops"])
        self.parallel = [it == "parallel" for it in task["iterators"]]
        self.kind = task["kind"]
        target = task["target"]
        self.lanes = max(1, target["vector_bits"] // 32)
        self.registers = target["vector_registers"]
        self.l2 = target["l2_bytes"]
        self.threads = max(1, target["threads"])
        self.model = Schedule.parse(task["schedule"])
        self.knobs = self._knobs()
        self.orders = self._orders()

    # -- the knobs ---------------------------------------------------------

    def _knobs(self):
        m, n = self.model, len(self.loops)
        knobs = {}
        windowed = self.kind in ("contraction", "convolution", "pooling")
        for i, extent in enumerate(self.loops):
            ds = divisors(extent)
            # A window's register tile is one output row (infer-tile
            # decomposes it to 1-D): pixels along the row and channels only.
            row_only = self.kind in ("convolution", "pooling") and i not in (2, 3)
            if m.vector[i] and self.parallel[i] and extent > 1 and not row_only:
                values = [v for v in near(ds, m.vector[i]) if v <= max(16, 4 * self.lanes)]
                # The last dimension of a packed panel is the panel: fixed.
                if self.kind == "contraction" and m.vector[i] == extent and m.order:
                    values = [extent]
                knobs[("vector", i)] = sorted(set(values) | {m.vector[i]})
            if self.parallel[i] and extent > 1 and (m.distribute[i] or windowed):
                # Thread tiles: any divisor (0: not split), a few of them.
                values = spread(ds, 8) + [0]
                knobs[("distribute", i)] = sorted(set(values) | {m.distribute[i]})
            if not self.parallel[i] and m.reduce[i] and extent > 1:
                values = [v for v in (1, 2, 4, 8) if extent % v == 0]
                knobs[("reduce", i)] = sorted(set(values) | {m.reduce[i]})
            if (not self.parallel[i] and self.kind == "contraction" and extent >= 128
                    and m.reduce[i]):
                slabs = [d for d in ds if 64 <= d < extent and d % 16 == 0]
                knobs[("cache", i)] = sorted(set(spread(slabs, 4)) | {0, m.cache[i]})
        return {k: v for k, v in knobs.items() if len(v) > 1}

    def _orders(self):
        m = self.model
        if not m.order or self.kind not in ("contraction", "convolution"):
            return [tuple(m.order)]
        orders = [tuple(m.order), tuple(range(len(self.loops)))]
        # The two outer tiled loops swapped (rows inside filters or the
        # reverse).
        o = list(m.order)
        for a, b in itertools.combinations(range(min(4, len(o))), 2):
            swapped = list(o)
            swapped[a], swapped[b] = swapped[b], swapped[a]
            orders.append(tuple(swapped))
        seen, result = set(), []
        for order in orders:
            if order not in seen:
                seen.add(order)
                result.append(order)
        return result[:4]

    def names(self):
        """Every knob, in a fixed order: the tile entries, then 'order'."""
        names = sorted(self.knobs)
        if len(self.orders) > 1:
            names.append("order")
        return names

    def values(self, name):
        return self.orders if name == "order" else self.knobs[name]

    def size(self):
        return math.prod(len(self.values(n)) for n in self.names()) if self.names() else 1

    # -- configurations ----------------------------------------------------

    def model_config(self):
        """The model's schedule as knob values."""
        config = {}
        for level, i in self.knobs:
            config[(level, i)] = getattr(self.model, level)[i]
        if len(self.orders) > 1:
            config["order"] = tuple(self.model.order)
        return config

    def schedule(self, config):
        s = Schedule(self.model.kind, self.model.distribute, self.model.cache,
                     self.model.vector, self.model.reduce, self.model.order,
                     self.model.estimate_ns)
        for name, value in config.items():
            if name == "order":
                s.order = list(value)
            else:
                level, i = name
                getattr(s, level)[i] = value
        return s

    def key(self, config):
        return tuple((str(n), config[n]) for n in self.names())

    def valid(self, config):
        """Hard constraints: tiles nest and divide, the register tile fits."""
        s = self.schedule(config)
        for i, extent in enumerate(self.loops):
            d, c, v, r = s.distribute[i], s.cache[i], s.vector[i], s.reduce[i]
            for t in (d, c, v, r):
                if t and extent % t:
                    return False
            inner = [t for t in (d, c, v) if t]
            if any(outer % inner_ for outer, inner_ in zip(inner, inner[1:])):
                return False
            if r and c and c % r:
                return False
        # At least one thread tile per thread when splitting at all (but
        # tiny ops stay on one thread).
        if any(s.distribute):
            tiles = self.thread_tiles(s)
            if tiles < min(self.threads, self.model_thread_tiles()):
                return False
        if self.kind in ("contraction", "convolution", "pooling"):
            if self.register_vectors(s) > self.registers:
                return False
        return True

    def thread_tiles(self, s):
        return math.prod(extent // t for extent, t in zip(self.loops, s.distribute) if t)

    def model_thread_tiles(self):
        return self.thread_tiles(self.model) if any(self.model.distribute) else 1

    def _vector_extent(self, s, i):
        """The register tile's extent along loop i (0 in a level: whole)."""
        for level in (s.vector, s.cache, s.distribute):
            if level[i]:
                return level[i]
        return self.loops[i]

    def register_vectors(self, s):
        """Accumulator vectors of the register tile, plus the operand vectors
        and a broadcast a step needs."""
        par = [self._vector_extent(s, i) for i in range(len(self.loops)) if self.parallel[i]]
        inner = par[-1] if par else 1
        acc = math.prod(par) / self.lanes
        return math.ceil(acc) + math.ceil(inner / self.lanes) + 1

    def predict(self, config):
        """A relative cost (1: the best the model can see): register-tile
        efficiency, thread balance, cache footprint. Only ranks candidates."""
        s = self.schedule(config)
        cost = 1.0
        par = [self._vector_extent(s, i) for i in range(len(self.loops)) if self.parallel[i]]
        inner = par[-1] if par else 1
        # Vector width: partial vectors waste lanes.
        cost *= max(1.0, self.lanes / max(1, inner))
        if self.kind in ("contraction", "convolution"):
            vectors = max(1, math.ceil(inner / self.lanes))
            rows = max(1, math.prod(par[:-1]))
            # Loads and broadcasts per FMA of an outer-product step.
            cost *= 1.0 + (rows + vectors) / (rows * vectors)
        if any(s.distribute):
            tiles = self.thread_tiles(s)
            waves = math.ceil(tiles / self.threads)
            cost *= waves * self.threads / tiles
            # Many tiny tiles: the fork/join and loop overheads.
            cost *= 1.0 + 0.002 * tiles / self.threads
        elif self.threads > 1 and any(self.model.distribute):
            cost *= self.threads
        # Reduction steps: some unrolling helps, much does not.
        for i, r in enumerate(s.reduce):
            if r > 4:
                cost *= 1.05
        # K slabs shorter than the panel stream re-read the accumulators.
        for i, c in enumerate(s.cache):
            if c and not self.parallel[i]:
                cost *= 1.0 + 32.0 / c
        # A packed contraction's thread tile, (m, n1, n0, k): its block of A
        # and its column of panels should share half of L2.
        if self.kind == "contraction" and len(self.loops) == 4 and self.model.order:
            m, n1, n0, k = (self._tile_extent(s, i) for i in range(4))
            kc = s.cache[3] or k
            footprint = 4 * (m * kc + n1 * kc * n0)
            if footprint > self.l2 / 2:
                cost *= 1.0 + min(0.5, 0.1 * (footprint / (self.l2 / 2) - 1))
        return cost

    def _tile_extent(self, s, i):
        """The thread tile's extent along loop i."""
        return s.distribute[i] or self.loops[i]

    def neighbours(self, config):
        """Every configuration one knob step away."""
        result = []
        for name in self.names():
            values = self.values(name)
            at = values.index(config[name]) if config[name] in values else 0
            for j in (at - 1, at + 1):
                if 0 <= j < len(values):
                    child = dict(config)
                    child[name] = values[j]
                    result.append(child)
        return result

    def mutate(self, config, rng, changes=1):
        child = dict(config)
        names = self.names()
        for name in rng.sample(names, min(changes, len(names))):
            child[name] = rng.choice(self.values(name))
        return child

    def crossover(self, a, b, rng):
        return {name: (a if rng.random() < 0.5 else b)[name] for name in self.names()}

    def describe(self, config):
        """The knobs that differ from the model's, for the report."""
        base = self.model_config()
        parts = []
        for name in self.names():
            if config[name] != base.get(name):
                label = "order" if name == "order" else f"{name[0]}[{name[1]}]"
                value = list(config[name]) if name == "order" else config[name]
                parts.append(f"{label}={value}")
        return ", ".join(parts) or "model"
