//===- Passes.td - code generation passes ------------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CODEGEN_PASSES_TD
#define INFER_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUPackWeightsPass : Pass<"infer-cpu-pack-weights", "func::FuncOp"> {
  let summary = "Re-lay out constant weights at compile time for the CPU kernels";
  let description = [{
    Gives constant weights the layout the CPU micro-kernels read
    contiguously, by rewriting the constants themselves (no per-call
    packing):

    - a contraction `C[m, n] += A[m, k] * B[k, n]` (or with `B` as
      `[n, k]`) whose `B` is a constant becomes a `linalg.generic` over
      `(m, n1, n0, k)` reading `B` packed into panels `[N/NR][K][NR]` (`NR`
      = two vector registers of f32), with `C` viewed as `[M][N/NR][NR]` (a
      free reshape). `N` is padded to a multiple of `NR` with zeros;
    - `linalg.transpose` of a constant (the HWCF filter of an NHWC
      convolution, a transposed weight) is folded into a new constant.

    The panel width comes from the target (`target-cpu`, default: the
    host). Whether a KxK convolution becomes its im2col matrix times the
    filter, and the panel width (or no packing), is the op's weight layout:
    the model's, unless a tuning database (`tuning-db`, written by
    infer-tune) has a measured layout for the op's layout task. With
    `report` and a database, a remark at each such op says which.
  }];
  let options = [
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "CPU to plan for (llc -mcpu names; empty: the host)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"\"", "Extra target features (+avx512f,...)">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the code plans for (0: every core; part of the key of "
           "the database's layout tasks)">,
    Option<"tuningDb", "tuning-db", "std::string", /*default=*/"\"\"",
           "Tuning database (infer-tune) whose weight layouts replace the "
           "model's for the tasks it has">,
    Option<"report", "report", "bool", /*default=*/"false",
           "With a tuning database: a remark per op with a weight layout to "
           "choose, saying whether it came from the database">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def CPUFusePass : Pass<"infer-cpu-fuse", "func::FuncOp"> {
  let summary = "Producer/consumer fusion of linalg ops on tensors, decided "
                "by a memory-traffic cost model of the CPU";
  let description = [{
    Groups linalg ops so that fewer intermediate tensors make a round trip
    through memory, using upstream's elementwise fusion
    (`linalg::fuseElementwiseOps`) and reshape propagation
    (`populateFoldReshapeOpsByCollapsingPatterns`) with our cost model
    deciding every candidate edge (producer result -> consumer operand):

    - elementwise and broadcast chains become one `linalg.generic`;
    - elementwise producers go into the reductions that consume them (the
      residual add into the mean and variance of a layer norm, the scale
      into a softmax); a producer with several users is cloned into each
      when its recomputation costs less traffic than its result;
    - transposes are folded into the operand access of the generic that
      consumes them (a batched matmul reads `K` through the permuted map);
    - an expand_shape between a contraction and its elementwise consumer is
      moved below that consumer, so that the consumer runs as the
      contraction's epilogue at tile level (infer-tile).

    The model estimates, per candidate, the bytes read and written with and
    without fusion, the recomputation (a producer under a broadcast or a
    contraction is recomputed for every point that reads it), the group
    size, and whether a row of the fused op's operands still fits the L1
    cache of the target; it accepts or rejects with a reason. With `report`
    every group and every rejected edge is a remark, and a summary gives the
    kernels and intermediate bytes before and after (`infer-opt
    --fuse-report`).
  }];
  let options = [
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "CPU to plan for (llc -mcpu names; empty: the host)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"\"", "Extra target features (+avx512f,...)">,
    Option<"elementwise", "elementwise", "bool", /*default=*/"true",
           "Fuse elementwise producers into elementwise and reduction "
           "consumers">,
    Option<"transposes", "transposes", "bool", /*default=*/"true",
           "Fold transposes into the operand access of their consumers">,
    Option<"reshapes", "reshapes", "bool", /*default=*/"true",
           "Move expand_shape below elementwise consumers (epilogues of "
           "contractions)">,
    Option<"maxGroupSize", "max-group-size", "int64_t", /*default=*/"16",
           "Most ops (of the input) one fused kernel may hold">,
    Option<"maxRecompute", "max-recompute", "int64_t", /*default=*/"4",
           "Most ops per element of a producer cloned into several "
           "consumers">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per group and per rejected candidate, and a "
           "summary">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

def CPUSelectSchedulePass : Pass<"infer-cpu-select-schedule", "func::FuncOp"> {
  let summary = "Choose a schedule for every linalg op from a model of the CPU";
  let description = [{
    Attaches `infer.schedule = #infer.schedule<...>` to each linalg op the
    CPU code generator handles: contractions (packed or not, batched),
    convolutions (direct, depthwise), pooling, reductions and elementwise
    ops. Tile sizes per level, the micro-kernel shape and the loop order come
    from an analytical model of the target: vector width and registers
    (register tile), L1/L2 sizes (cache tiles), cores (distribution). An op
    that already has a schedule (written by hand, replayed from a tuning
    database) keeps it.

    With `report`, each decision is also emitted as a remark at the op
    (`infer-opt --tile-report`): the op, its operand shapes, the schedule and
    the model's estimated time. With `record`, the same rows are kept on the
    function as `infer.tile_report`, which `infer-profile-kernels` reads to
    put the estimate next to each measured kernel (`infer-run --profile`).
  }];
  let options = [
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "CPU to plan for (llc -mcpu names; empty: the host)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"\"", "Extra target features (+avx512f,...)">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads to plan for (0: every core of the target)">,
    Option<"minParallelNs", "min-parallel-ns", "int64_t",
           /*default=*/"20000",
           "Ops estimated to take less on one thread are not split over "
           "threads">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per op: shapes, schedule, estimated time">,
    Option<"record", "record", "bool", /*default=*/"false",
           "Keep the report on the function (infer.tile_report) for the "
           "profiler">,
    Option<"tuningDb", "tuning-db", "std::string", /*default=*/"\"\"",
           "Tuning database (infer-tune) whose schedules replace the "
           "model's for the tasks it has">,
  ];
  let dependentDialects = ["::mlir::infer::InferDialect"];
}

def CPUExtractTuningTasksPass
    : Pass<"infer-cpu-extract-tuning-tasks", "ModuleOp"> {
  let summary = "Write every distinct scheduled op as a tuning task for infer-tune";
  let description = [{
    For each distinct task among the scheduled linalg ops (the key of
    docs/tuning.md: op, shapes, element types, indexing maps, body, target,
    threads), writes one JSON line to `output`: the key, the op, its loop
    extents and iterator types, the model's schedule and estimate, how many
    ops share the task, the target's registers and caches, and a module
    whose `@main` computes the op alone with the model's schedule on it (its
    inputs as arguments, the initialization of its destination cloned).
    infer-tune substitutes candidate schedules in that module and times it.
    The IR is left as it is.
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "Where the JSON lines go ('-': stdout)">,
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "CPU the schedules were chosen for (llc -mcpu names; empty: the "
           "host)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"\"", "Extra target features (+avx512f,...)">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the schedules plan for (0: every core of the target)">,
  ];
}

def CPUExtractLayoutTasksPass
    : Pass<"infer-cpu-extract-layout-tasks", "ModuleOp"> {
  let summary = "Write every distinct op with a weight layout to choose as a "
                "layout task for infer-tune";
  let description = [{
    Runs before infer-cpu-pack-weights. For each distinct op whose constant
    weights have more than one layout (docs/tuning.md: a KxK convolution
    direct or as im2col times a packed filter, the panel width of a packed
    matrix product, or no packing), writes one JSON line to `output`: the
    layout key, the op, its multiply-adds, the model's layout, and per
    layout a module whose `@main` computes the op with its weights laid out
    that way (the packed weights and the inputs as arguments). infer-tune
    times each and keeps the fastest. The IR is left as it is.
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "Where the JSON lines go ('-': stdout)">,
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "CPU to plan for (llc -mcpu names; empty: the host)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"\"", "Extra target features (+avx512f,...)">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the code plans for (0: every core of the target)">,
  ];
}

def TilePass : Pass<"infer-tile", "func::FuncOp"> {
  let summary = "Tile, distribute and vectorize linalg ops by their schedules";
  let description = [{
    Applies the `#infer.schedule` of every linalg op, as IREE's LLVMCPUTile
    applies its lowering configs: an `scf.forall` over the `distribute`
    tiles (threads), `scf.for` loops over the `cache` tiles, the `vector`
    (register) tile with its initialization (`linalg.fill` or bias) fused in,
    the `reduce` step, then vectorization. Convolutions are decomposed to 1-D
    first. Contractions become `vector.contract` whose accumulator is hoisted
    out of the reduction loops, so it stays in registers. The steps are the
    upstream transform-dialect operations, applied by the interpreter on
    the ops that carry a schedule; the schedule attribute is removed once
    applied, so running the pass again does nothing.

    With `epilogues` (the default), the elementwise ops that consume a
    convolution's or a contraction's result (bias, activation, residual add),
    each the only user of the previous result, follow its tiling at every
    level and run on its register tiles.
  }];
  let options = [
    Option<"epilogues", "epilogues", "bool", /*default=*/"true",
           "Fuse elementwise consumers into the tiles of convolutions and "
           "contractions">,
  ];
  let dependentDialects = ["::mlir::infer::InferDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::transform::TransformDialect"];
}

def CPULowerVectorsPass : Pass<"infer-cpu-lower-vectors", "func::FuncOp"> {
  let summary = "Lower vector ops to what the LLVM x86 backend handles well";
  let description = [{
    After bufferization: contractions to outer products (FMAs), integer
    contractions in the dot-product panel form to AVX512-VNNI `vpdpbusd`
    (an LLVM intrinsic call), multi reductions, transfers to loads and
    stores (with masks at the edges), transposes, broadcasts and shape casts
    to their 1-D forms.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect"];
}

def DecomposePadsPass : Pass<"infer-decompose-pads", "func::FuncOp"> {
  let summary = "Pads as a fill and an insertion, so producers write in place";
  let description = [{
    Rewrites each `tensor.pad` as `linalg.fill` of an empty tensor of the
    padded shape and a `tensor.insert_slice` of the padded value into it
    (upstream's decomposition). Empty-tensor elimination then lets the
    producer of the value (the previous layer) write straight into the
    interior of the padded buffer: the copy a pad costs per call is gone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def PlanMemoryPass : Pass<"infer-plan-memory", "ModuleOp"> {
  let summary = "Place intermediate buffers in one arena, reused by liveness";
  let description = [{
    After one-shot bufferization (and before the deallocation pipeline),
    the statically shaped buffers a public function allocates and does not
    return get offsets in one arena: buffers whose lifetimes (from the
    allocation to the last use of the buffer or a view of it) do not overlap
    share bytes. The arena is a static buffer of the module that stays
    resident between calls (no allocation, no page faults per call), guarded
    by a flag: a call that finds it busy (another thread is inside the
    model) allocates a private arena instead, so calls stay reentrant.

    The function gets `infer.arena_bytes` (the planned size) and
    `infer.separate_bytes` (the sum of the buffers, without reuse); with
    `report`, a remark gives both.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per function with the planned peak memory">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def ProfileKernelsPass : Pass<"infer-profile-kernels", "ModuleOp"> {
  let summary = "Time every kernel of the public functions at run time";
  let description = [{
    After bufferization, wraps each top-level kernel of every public
    function (a loop nest, a parallel loop, a leftover linalg op, a copy) in
    calls to `infer_profile_begin(i64 id)` and `infer_profile_end(i64 id)`,
    which the runner provides (`infer-run --profile`). The module gets an
    `infer.profile_kernels` array naming each kernel by the op it came from
    and its location, so measurements can be read against the schedule
    report: where the function carries `infer.tile_report` (from
    `infer-cpu-select-schedule{record}`), a kernel whose location matches a
    row is named with that row's schedule kind and estimated time, and the
    function attribute is removed.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // INFER_CODEGEN_PASSES_TD
