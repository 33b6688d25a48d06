//===- ScheduleModel.cpp - analytical CPU schedules for linalg ops --------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Schedules from a model of the target, per op family:
//
// - contractions: a register tile of MR rows x two vectors (NR columns) of
//   accumulators, MR <= 8 and as large as the register file allows (32
//   vector registers: 16 accumulators + 2 operand loads + 1 broadcast);
//   K whole (the packed KxNR panel streams from L2; K slabs measured
//   slower); MC x NC thread tiles sized so an MC x K block of A and a
//   column of panels share half of L2;
// - direct convolutions (NHWC, HWCF filter): OWT output pixels x two vectors
//   of output channels, reduction over (kh, kw, c) one step at a time;
// - pooling and depthwise: OWT pixels x a vector of channels;
// - elementwise and reductions: vectors along the innermost dimension.
//
// Sizes that divide the op's extents are preferred, so that tiles are full
// and vectorize without masks. The estimate is max(compute at 90% of peak,
// memory traffic at a nominal bandwidth), for the report.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace mlir::infer;

namespace {
/// Loop extents of an op, all static.
struct Extents {
  SmallVector<int64_t> sizes;
  int64_t operator[](size_t i) const { return sizes[i]; }
  size_t size() const { return sizes.size(); }
};
} // namespace

static std::optional<Extents> staticExtents(linalg::LinalgOp op) {
  Extents e;
  e.sizes = op.getStaticLoopRanges();
  if (llvm::any_of(e.sizes, [](int64_t s) {
        return ShapedType::isDynamic(s) || s <= 0;
      }))
    return std::nullopt;
  return e;
}

/// The largest of `candidates` that divides `extent` (candidates in order
/// of preference), or 0.
static int64_t firstDivisor(int64_t extent, ArrayRef<int64_t> candidates) {
  for (int64_t c : candidates)
    if (c > 0 && c <= extent && extent % c == 0)
      return c;
  return 0;
}

/// The largest divisor of `extent` not above `limit` (at least 1).
static int64_t largestDivisorAtMost(int64_t extent, int64_t limit) {
  for (int64_t d = std::min(extent, limit); d > 1; --d)
    if (extent % d == 0)
      return d;
  return 1;
}

static int64_t elementBytes(linalg::LinalgOp op) {
  Type type = getElementTypeOrSelf(op->getResult(0).getType());
  return type.isIntOrFloat()
             ? std::max<int64_t>(1, type.getIntOrFloatBitWidth() / 8)
             : 4;
}

/// Estimated nanoseconds: the larger of compute time (90% of peak) and
/// memory time, the bandwidth chosen by the cache level the traffic fits in.
static int64_t estimateNs(const CPUTargetModel &t, int64_t threads,
                          double flops, double bytes) {
  double flopsPerNs = t.peakFlopsPerCycle() * t.ghz * 0.9 * threads;
  double gbps = bytes <= double(t.l2Bytes) * threads ? t.l2GBps
                : bytes <= double(t.l3Bytes)         ? t.l3GBps
                                                     : t.dramGBps;
  double bytesPerNs = gbps * threads;
  return static_cast<int64_t>(std::max(flops / flopsPerNs, bytes / bytesPerNs));
}

static ScheduleAttr
makeSchedule(MLIRContext *ctx, ScheduleKind kind, ArrayRef<int64_t> distribute,
             ArrayRef<int64_t> cache, ArrayRef<int64_t> vector,
             ArrayRef<int64_t> reduce, ArrayRef<int64_t> order, int64_t ns) {
  // A model bug must not abort the compiler: an inconsistent schedule is no
  // schedule (the op is lowered as loops).
  auto emitError = [ctx]() {
    return mlir::emitError(UnknownLoc::get(ctx), "infer schedule model: ");
  };
  if (failed(ScheduleAttr::verify(emitError, kind, distribute, cache, vector,
                                  reduce, order, ScheduleOrigin::Model, ns)))
    return {};
  return ScheduleAttr::get(ctx, kind, distribute, cache, vector, reduce, order,
                           ScheduleOrigin::Model, ns);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// Rows of the register tile (two vectors of accumulators each), dividing M
/// so that no tile is partial: 8 when it divides, else the divisor closest to
/// it that the register file holds (up to 14 rows with 32 registers: 28
/// accumulators, two operand loads and a broadcast).
static int64_t registerRows(const CPUTargetModel &t, int64_t m,
                            int64_t regsPerRow = 2) {
  int64_t maxRows =
      std::max<int64_t>(1, (t.vectorRegisters - regsPerRow - 1) / regsPerRow);
  SmallVector<int64_t> preferred = {8, 7, 6, 12, 10, 14, 13, 11, 9, 5, 4};
  // One register a row: twice the rows for as many accumulators.
  if (regsPerRow == 1)
    preferred = {16, 14, 12, 24, 20, 28, 15, 13, 18, 10, 9, 8, 7, 6};
  for (int64_t rows : preferred)
    if (rows <= maxRows && rows <= m && m % rows == 0)
      return rows;
  return largestDivisorAtMost(m, std::min<int64_t>(8, maxRows));
}

/// Thread tiles of an (M rows) x (P panels) space: at least `threads` tiles
/// when the work allows, MC a multiple of MR within the L2 budget.
static std::pair<int64_t, int64_t>
threadTiles(const CPUTargetModel &t, int64_t threads, int64_t m, int64_t mr,
            int64_t panels, int64_t kSlab, int64_t nr, int64_t bytes) {
  // The A block (MC x KC) and a column of panels (KC x NC) share half of L2.
  int64_t budget = t.l2Bytes / 2;
  int64_t mc = std::max<int64_t>(
      mr, (budget / 2 / std::max<int64_t>(1, kSlab * bytes)) / mr * mr);
  mc = std::min<int64_t>(mc, llvm::alignTo(m, mr));
  int64_t nc = std::max<int64_t>(
      1, std::min<int64_t>(
             panels, budget / 2 / std::max<int64_t>(1, kSlab * nr * bytes)));
  // Enough tiles for every thread: split M first, then the panels.
  auto tiles = [&] {
    return static_cast<int64_t>(llvm::divideCeil(m, mc) *
                                llvm::divideCeil(panels, nc));
  };
  while (tiles() < threads && mc > mr)
    mc = std::max<int64_t>(mr, llvm::alignTo(mc / 2, mr));
  while (tiles() < threads && nc > 1)
    nc = std::max<int64_t>(1, nc / 2);
  // Tiles divide the extents, so every register tile inside is full and
  // vectorizes without masks: MC is a multiple of MR dividing M.
  mc = mr * largestDivisorAtMost(m / mr, std::max<int64_t>(1, mc / mr));
  nc = largestDivisorAtMost(panels, nc);
  return {mc, nc};
}

/// (m, n1, n0, k) with A[m, k], B[n1, k, n0], C[m, n1, n0]: the packed
/// contraction infer-cpu-pack-weights produces.
static bool isPackedContraction(linalg::LinalgOp op) {
  if (op.getNumLoops() != 4 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return false;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0] == AffineMap::get(4, 0, {d(0), d(3)}, ctx) &&
         maps[1] == AffineMap::get(4, 0, {d(1), d(3), d(2)}, ctx) &&
         maps[2] == AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx);
}

static ScheduleAttr packedContraction(linalg::LinalgOp op,
                                      const CPUTargetModel &t,
                                      int64_t threads) {
  std::optional<Extents> e = staticExtents(op);
  if (!e)
    return {};
  int64_t m = (*e)[0], panels = (*e)[1], nr = (*e)[2], k = (*e)[3];
  if (nr != 2 * t.f32Lanes() && nr != t.f32Lanes())
    return {};
  int64_t bytes = elementBytes(op);
  int64_t mr = registerRows(t, m, nr / t.f32Lanes());
  // No K slabs: with B packed, slabs measured 2-6% slower on these shapes
  // (the packed panel streams from L2 well enough).
  int64_t kc = 0;
  auto [mc, nc] =
      threadTiles(t, threads, m, mr, panels, kc ? kc : k, nr, bytes);
  double flops = 2.0 * m * panels * nr * k;
  double traffic =
      bytes * (double(m) * k + double(panels) * nr * k + 2.0 * m * panels * nr);
  return makeSchedule(op.getContext(), ScheduleKind::Contraction,
                      {mc, nc, 0, 0}, {0, 0, 0, kc}, {mr, 1, nr, 0},
                      {0, 0, 0, 1}, {1, 0, 2, 3},
                      estimateNs(t, threads, flops, traffic));
}

/// (m, n1, n0, k1, k0) with A[m, k1, k0], B[n1, k1, n0, k0], C[m, n1, n0]:
/// the dot-product panel form of an integer contraction.
static bool isPackedDotContraction(linalg::LinalgOp op) {
  if (op.getNumLoops() != 5 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return false;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0] == AffineMap::get(5, 0, {d(0), d(3), d(4)}, ctx) &&
         maps[1] == AffineMap::get(5, 0, {d(1), d(3), d(2), d(4)}, ctx) &&
         maps[2] == AffineMap::get(5, 0, {d(0), d(1), d(2)}, ctx);
}

/// The register tile of the dot-product form is that of the f32 kernel
/// (MR rows of NR 32-bit lanes, one `vpdpbusd` / `vdpbf16ps` per vector a
/// step) with G values of K a step (four bytes, two bf16): a G-th of the
/// f32 kernel's steps.
static ScheduleAttr packedDotContraction(linalg::LinalgOp op,
                                         const CPUTargetModel &t,
                                         int64_t threads) {
  std::optional<Extents> e = staticExtents(op);
  if (!e)
    return {};
  int64_t m = (*e)[0], panels = (*e)[1], nr = (*e)[2], groups = (*e)[3],
          group = (*e)[4];
  if ((nr != 2 * t.f32Lanes() && nr != t.f32Lanes()) ||
      (group != 4 && group != 2))
    return {};
  int64_t mr = registerRows(t, m, nr / t.f32Lanes());
  int64_t k = groups * group;
  int64_t bytes = 4 / group;
  auto [mc, nc] = threadTiles(t, threads, m, mr, panels, k, nr, bytes);
  // G multiply-adds a lane per instruction.
  double flops = 2.0 * m * panels * nr * k / group;
  double traffic = bytes * (double(m) * k + double(panels) * nr * k) +
                   2.0 * 4 * m * panels * nr;
  return makeSchedule(op.getContext(), ScheduleKind::Contraction,
                      {mc, nc, 0, 0, 0}, {0, 0, 0, 0, 0}, {mr, 1, nr, 0, 0},
                      {0, 0, 0, 1, 0}, {1, 0, 2, 3, 4},
                      estimateNs(t, threads, flops, traffic));
}

/// Batched or plain contractions on operands read as they are: B rows are
/// contiguous along N, so the register tile is MR x NR of (m, n).
static ScheduleAttr plainContraction(linalg::LinalgOp op,
                                     const CPUTargetModel &t, int64_t threads) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  std::optional<Extents> e = staticExtents(op);
  if (failed(dims) || !e || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return {};
  unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
  int64_t loops = op.getNumLoops();
  // The innermost (fastest) dimension of B and C must be n for the
  // two-vector rows of the micro-kernel.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto last = [](AffineMap map) -> int64_t {
    auto d = dyn_cast<AffineDimExpr>(map.getResults().back());
    return d ? d.getPosition() : -1;
  };
  if (last(maps[1]) != n || last(maps[2]) != n || last(maps[0]) != k)
    return {};
  int64_t lanes = t.f32Lanes();
  int64_t nr = firstDivisor((*e)[n], {2 * lanes, lanes});
  if (!nr)
    return {};
  int64_t mr = registerRows(t, (*e)[m]);
  SmallVector<int64_t> distribute(loops, 0), cache(loops, 0), vector(loops, 0),
      reduce(loops, 0);
  // Batch dimensions: one at a time, spread over threads first; on one
  // thread one tile holds them all (a tile per batch would still be a
  // parallel loop, forked on every call).
  int64_t work = 1;
  for (unsigned b : dims->batch) {
    distribute[b] = threads > 1 ? 1 : (*e)[b];
    vector[b] = 1;
    work *= (*e)[b];
  }
  if (work < threads) {
    int64_t rowTiles = (*e)[m] / mr;
    distribute[m] = mr * largestDivisorAtMost(
                             rowTiles, llvm::divideCeil(rowTiles, threads));
  }
  vector[m] = mr;
  vector[n] = nr;
  reduce[k] = 1;
  int64_t bytes = elementBytes(op);
  double flops = 2.0 * work * (*e)[m] * (*e)[n] * (*e)[k];
  double traffic = bytes * work *
                   (double((*e)[m]) * (*e)[k] + double((*e)[k]) * (*e)[n] +
                    2.0 * (*e)[m] * (*e)[n]);
  return makeSchedule(op.getContext(), ScheduleKind::Contraction, distribute,
                      cache, vector, reduce, {},
                      estimateNs(t, threads, flops, traffic));
}

//===----------------------------------------------------------------------===//
// Convolutions and windows
//===----------------------------------------------------------------------===//

/// Output pixels of a register tile: 8, 7, ... dividing OW, with `regs`
/// vector registers of accumulators a pixel.
static int64_t pixelTile(const CPUTargetModel &t, int64_t ow, int64_t regs) {
  int64_t maxPixels = std::max<int64_t>(1, (t.vectorRegisters - 6) / regs);
  SmallVector<int64_t> candidates;
  for (int64_t p = std::min<int64_t>(maxPixels, 14); p >= 1; --p)
    candidates.push_back(p);
  int64_t pixels = firstDivisor(ow, candidates);
  return pixels ? pixels : 1;
}

/// The channels of a register tile (output channels of a convolution,
/// channels of a window): whole vectors when they divide `c` (up to
/// `maxVectors`), else the largest power-of-two part of a vector, at least
/// four lanes, dividing it (8 for 24 channels with AVX-512, 4 for 60: narrow
/// vectors still beat the scalar loops an op without a schedule gets). Not a
/// whole and a half vector: LLVM legalizes a 24-lane accumulator row through
/// element shuffles and spills (the 3-channel stem of shufflenet ran 7x
/// slower than with three 8-lane tiles). 0: no tile without masks.
static int64_t channelTile(int64_t c, int64_t lanes, int64_t maxVectors) {
  // A power of two of vectors: LLVM splits a loop-carried <3*lanes x float>
  // into scalars (a 5x5 depthwise convolution ran 12x slower with 3 zmm).
  for (int64_t v = llvm::bit_floor(static_cast<uint64_t>(maxVectors)); v >= 1;
       v /= 2)
    if (c % (v * lanes) == 0)
      return v * lanes;
  for (int64_t tile = lanes / 2; tile >= 4; tile /= 2)
    if (c % tile == 0)
      return tile;
  return 0;
}

/// Vector registers a tile of `channels` f32 takes.
static int64_t registersFor(int64_t channels, int64_t lanes) {
  return std::max<int64_t>(1, llvm::divideCeil(channels, lanes));
}

/// Rows of output per thread tile, dividing OH (full tiles only).
static int64_t rowsPerThread(int64_t oh, int64_t threads) {
  return largestDivisorAtMost(
      oh, llvm::divideCeil(oh, std::max<int64_t>(1, threads)));
}

/// linalg.conv_2d_nhwc_hwcf: loops (n, oh, ow, f, kh, kw, c).
static ScheduleAttr directConvolution(linalg::LinalgOp op,
                                      const CPUTargetModel &t,
                                      int64_t threads) {
  std::optional<Extents> e = staticExtents(op);
  if (!e || e->size() != 7)
    return {};
  int64_t n = (*e)[0], oh = (*e)[1], ow = (*e)[2], f = (*e)[3];
  int64_t kh = (*e)[4], kw = (*e)[5], c = (*e)[6];
  int64_t lanes = t.f32Lanes();
  int64_t ft = channelTile(f, lanes, 2);
  if (!ft)
    return {};
  int64_t owt = pixelTile(t, ow, registersFor(ft, lanes));
  int64_t bytes = elementBytes(op);
  double flops = 2.0 * n * oh * ow * f * kh * kw * c;
  double traffic = bytes * (double(n) * oh * ow * (f + c) + kh * kw * c * f);
  int64_t ns = estimateNs(t, threads, flops, traffic);
  // Which operand stays in cache: the loop over output rows re-reads the
  // whole filter for every row, the loop over filter panels re-reads the
  // input for every panel. Late layers (small images, filters of megabytes)
  // keep a filter panel in L2 and walk the rows inside it; threads then
  // split the filters.
  int64_t filterBytes = bytes * kh * kw * c * f;
  int64_t inputBytes = bytes * n * (oh * ow) * c;
  if (filterBytes > inputBytes && filterBytes > t.l2Bytes / 2) {
    int64_t panels = f / ft;
    int64_t perThread = largestDivisorAtMost(
        panels, llvm::divideCeil(panels, std::max<int64_t>(1, threads)));
    return makeSchedule(op.getContext(), ScheduleKind::Convolution,
                        {1, 0, 0, perThread * ft, 0, 0, 0},
                        {0, 0, 0, 0, 0, 0, 0}, {1, 1, owt, ft, 0, 0, 0},
                        {0, 0, 0, 0, 1, 1, 1}, {0, 3, 1, 2, 4, 5, 6}, ns);
  }
  int64_t toh = rowsPerThread(oh, n >= threads ? 1 : threads / n);
  return makeSchedule(op.getContext(), ScheduleKind::Convolution,
                      {1, toh, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
                      {1, 1, owt, ft, 0, 0, 0}, {0, 0, 0, 0, 1, 1, 1},
                      {0, 1, 3, 2, 4, 5, 6}, ns);
}

/// Depthwise convolutions and pooling in NHWC: loops (n, oh, ow, c, kh, kw).
static ScheduleAttr windowedChannels(linalg::LinalgOp op,
                                     const CPUTargetModel &t, int64_t threads) {
  std::optional<Extents> e = staticExtents(op);
  if (!e || e->size() != 6)
    return {};
  int64_t n = (*e)[0], oh = (*e)[1], ow = (*e)[2], c = (*e)[3];
  int64_t lanes = t.f32Lanes();
  int64_t ct = channelTile(c, lanes, 4);
  if (!ct)
    return {};
  int64_t owt = pixelTile(t, ow, registersFor(ct, lanes));
  int64_t toh = rowsPerThread(oh, n >= threads ? 1 : threads / n);
  int64_t bytes = elementBytes(op);
  double traffic =
      bytes * double(n) * (oh * ow * c * 2 + (*e)[4] * (*e)[5] * c);
  double flops = 2.0 * n * oh * ow * c * (*e)[4] * (*e)[5];
  return makeSchedule(op.getContext(), ScheduleKind::Pooling,
                      {1, toh, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0},
                      {1, 1, owt, ct, 0, 0}, {0, 0, 0, 0, 1, 1}, {},
                      estimateNs(t, threads, flops, traffic));
}

//===----------------------------------------------------------------------===//
// Elementwise and reductions
//===----------------------------------------------------------------------===//

/// Vectors along the innermost loop (whole when short), outer loops one at a
/// time; the outermost loop with more than one iteration spread over
/// threads. Reduction loops stay whole inside the vector tile.
static ScheduleAttr vectorLoops(linalg::LinalgOp op, const CPUTargetModel &t,
                                int64_t threads, ScheduleKind kind) {
  std::optional<Extents> e = staticExtents(op);
  if (!e || e->size() == 0)
    return {};
  // Tiling computes operand slices from the indexing maps; reversed or
  // strided reads (a negative-step slice) are left to plain loops.
  if (llvm::any_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return !map.isProjectedPermutation(/*allowZeroInResults=*/true);
      }))
    return {};
  int64_t loops = e->size();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t lanes = t.f32Lanes();
  SmallVector<int64_t> distribute(loops, 0), cache(loops, 0), vector(loops, 0),
      reduce(loops, 0);
  // Reduction loops: whole in the vector tile, if small enough.
  int64_t reduced = 1;
  for (int64_t i = 0; i < loops; ++i) {
    if (iterators[i] != utils::IteratorType::reduction)
      continue;
    vector[i] = (*e)[i];
    reduced *= (*e)[i];
  }
  if (reduced > 4096)
    return {};
  // The innermost parallel loop carries the vectors; the others are tiled
  // to 1 (a 2-D vector would be unrolled row by row anyway).
  int64_t inner = -1;
  for (int64_t i = loops - 1; i >= 0; --i)
    if (iterators[i] == utils::IteratorType::parallel) {
      inner = i;
      break;
    }
  // With the reduction innermost (contiguous), vectors run along it and
  // the parallel loops are walked one element at a time.
  bool reductionInnermost = iterators.back() == utils::IteratorType::reduction;
  int64_t cap = std::min<int64_t>(
      8 * lanes,
      std::max<int64_t>(lanes, 4096 / std::max<int64_t>(1, reduced)));
  for (int64_t i = 0; i < loops; ++i) {
    if (iterators[i] != utils::IteratorType::parallel)
      continue;
    // Whole when short; else the largest divisor up to the cap, so that no
    // tile is partial (and no mask is needed).
    if (i == inner && !reductionInnermost)
      vector[i] = (*e)[i] <= cap ? (*e)[i] : largestDivisorAtMost((*e)[i], cap);
    else
      vector[i] = 1;
  }
  // Threads take the outermost parallel loop with enough iterations.
  for (int64_t i = 0; i < loops; ++i) {
    if (iterators[i] != utils::IteratorType::parallel)
      continue;
    int64_t extent = (*e)[i];
    int64_t tiles = i == inner ? llvm::divideCeil(extent, vector[i]) : extent;
    if (tiles < 2 && threads > 1)
      continue;
    int64_t per = largestDivisorAtMost(tiles, llvm::divideCeil(tiles, threads));
    distribute[i] = i == inner ? per * vector[i] : per;
    break;
  }
  int64_t bytes = elementBytes(op);
  double elements = 1;
  for (int64_t s : e->sizes)
    elements *= s;
  double traffic = bytes * elements * (op.getNumDpsInputs() + 1.0) /
                   std::max<int64_t>(1, reduced > 1 ? 1 : 1);
  return makeSchedule(op.getContext(), kind, distribute, cache, vector, reduce,
                      {}, estimateNs(t, threads, elements, traffic));
}

static ScheduleAttr selectForThreads(linalg::LinalgOp op,
                                     const CPUTargetModel &t, int64_t threads);

bool mlir::infer::hasBoolOperands(Operation *op) {
  auto isBool = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return shaped && shaped.getElementType().isInteger(1);
  };
  return llvm::any_of(op->getOperandTypes(), isBool) ||
         llvm::any_of(op->getResultTypes(), isBool);
}

ScheduleAttr mlir::infer::selectCPUSchedule(linalg::LinalgOp op,
                                            const CPUTargetModel &t,
                                            int64_t threads,
                                            int64_t minParallelNs) {
  if (!op.hasPureTensorSemantics() || op->getNumResults() != 1)
    return {};
  // A vector of i1 is stored as packed bits, while a tensor of i1 holds one
  // byte per element: ops that read or write bool tensors stay loops.
  if (hasBoolOperands(op))
    return {};
  threads = std::max<int64_t>(1, threads);
  ScheduleAttr single = selectForThreads(op, t, 1);
  if (threads == 1 || !single || single.getEstimateNs() < minParallelNs)
    return single;
  return selectForThreads(op, t, threads);
}

static ScheduleAttr selectForThreads(linalg::LinalgOp op,
                                     const CPUTargetModel &t, int64_t threads) {
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return directConvolution(op, t, threads);
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcMaxOp,
          linalg::PoolingNhwcMaxUnsignedOp, linalg::PoolingNhwcSumOp>(op))
    return windowedChannels(op, t, threads);
  if (isPackedContraction(op))
    return packedContraction(op, t, threads);
  if (isPackedDotContraction(op))
    return packedDotContraction(op, t, threads);
  if (linalg::isaContractionOpInterface(op))
    return plainContraction(op, t, threads);
  if (isa<linalg::FillOp>(op))
    return {};
  if (op.getNumReductionLoops() == 0)
    return vectorLoops(op, t, threads, ScheduleKind::Elementwise);
  if (isa<linalg::GenericOp, linalg::ReduceOp>(op))
    return vectorLoops(op, t, threads, ScheduleKind::Reduction);
  return {};
}
