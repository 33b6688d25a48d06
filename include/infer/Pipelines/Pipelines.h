//===- Pipelines.h - infer compilation pipelines ----------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_PIPELINES_PIPELINES_H
#define INFER_PIPELINES_PIPELINES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::infer {

/// The attribute holding the tensor-level type of a lowered function.
inline constexpr llvm::StringLiteral kSignatureAttrName = "infer.signature";
/// The argument attribute naming a model input (set by the importer).
inline constexpr llvm::StringLiteral kInputNameAttrName = "infer.name";
/// The function attribute listing input names after lowering.
inline constexpr llvm::StringLiteral kInputNamesAttrName = "infer.input_names";

#define GEN_PASS_DECL
#include "infer/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "infer/Pipelines/Passes.h.inc"

/// What runs the thread tiles (parallel loops) of compiled code.
enum class ThreadRuntime { OpenMP, Async };

/// Options of `infer-cpu-pipeline`.
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("Target CPU for the generated code (llc -mcpu names; "
                     "empty: decided by the code generator)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Comma-separated target features (+avx2,+fma...)"),
      llvm::cl::init("")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: plain loops, nothing else (the numerical "
                     "reference); 1: also canonicalize and simplify between "
                     "the stages; 2 and up: also pack weights, tile, "
                     "vectorize and run on threads"),
      llvm::cl::init(2)};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads the schedules plan for and the parallel loops "
                     "use (0: every core of the machine running the code)"),
      llvm::cl::init(0)};
  PassOptions::Option<ThreadRuntime> threadRuntime{
      *this, "thread-runtime", llvm::cl::desc("What runs the parallel loops"),
      llvm::cl::init(ThreadRuntime::OpenMP),
      llvm::cl::values(
          clEnumValN(ThreadRuntime::OpenMP, "openmp",
                     "LLVM's OpenMP runtime (libomp; the default: 1.4-2.3x "
                     "faster on the light models, docs/codegen.md)"),
          clEnumValN(ThreadRuntime::Async, "async",
                     "MLIR's async runtime (libmlir_async_runtime)"))};

  PassOptions::Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Fuse at opt-level 2 and up (infer-fuse on the graph, "
                     "infer-cpu-fuse on linalg)"),
      llvm::cl::init(true)};

  PassOptions::Option<std::string> tuningDb{
      *this, "tuning-db",
      llvm::cl::desc("Tuning database (infer-tune) whose schedules replace "
                     "the model's for the tasks it has"),
      llvm::cl::init("")};

  PassOptions::Option<bool> profile{
      *this, "profile",
      llvm::cl::desc("Time every kernel at run time through "
                     "infer_profile_begin/end (infer-run --profile)"),
      llvm::cl::init(false)};

  /// Whether the code generator (packing, tiling, vectorization, threads)
  /// runs.
  bool codegen() const { return optLevel >= 2; }
};

/// Graph stage, on the infer dialect: keep the tensor signature, make shapes
/// static where the ops allow, fold.
void buildGraphPasses(OpPassManager &pm, const CPUPipelineOptions &options);

/// infer -> linalg on tensors, then the CPU code generator on tensors:
/// weights packed at compile time, a schedule per op from the target model,
/// tiling, distribution over threads and vectorization.
void buildCPULinalgPasses(OpPassManager &pm, const CPUPipelineOptions &options);

/// Tensors -> buffers: one-shot bufferization with buffers returned to the
/// callers, and their deallocation.
void buildBufferizationPasses(OpPassManager &pm,
                              const CPUPipelineOptions &options);

/// Buffers -> LLVM dialect: vector lowering for the target, the parallel
/// loops on OpenMP threads, leftover linalg ops as loops, C wrappers for
/// every function.
void buildCPULoweringPasses(OpPassManager &pm,
                            const CPUPipelineOptions &options);

/// The four stages in order: infer (or linalg on tensors) -> LLVM dialect.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Options of the user-level `--tile` and `--tile-report` pipelines.
struct TileOptions : public PassPipelineOptions<TileOptions> {
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("CPU to plan for (llc -mcpu names; empty: the host)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Extra target features (+avx512f,...)"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads to plan for (0: every core of the target)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> minParallelNs{
      *this, "min-parallel-ns",
      llvm::cl::desc("Ops estimated to take less on one thread are not split "
                     "over threads"),
      llvm::cl::init(20000)};
  PassOptions::Option<std::string> tuningDb{
      *this, "tuning-db",
      llvm::cl::desc("Tuning database (infer-tune) whose schedules replace "
                     "the model's for the tasks it has; --tile-report says "
                     "which ops fell back to the model"),
      llvm::cl::init("")};
};

/// `--tile`: the CPU code generator up to tiled, vectorized linalg on
/// tensors: channels-last layout, infer -> linalg, weights packed at compile
/// time, a schedule per op from the target model, tiling and vectorization.
/// `infer-run`, `infer-compile` and `infer-cpu-pipeline` take the result and
/// do not redo any of it. With `report`, stops once the schedules are chosen
/// and emits one remark per op (`--tile-report`).
void buildTilePipeline(OpPassManager &pm, const TileOptions &options,
                       bool report);

/// Options of `--tune-tasks`, which infer-tune runs.
struct TuneTasksOptions : public PassPipelineOptions<TuneTasksOptions> {
  PassOptions::Option<std::string> output{
      *this, "output", llvm::cl::desc("The JSON lines of the tasks"),
      llvm::cl::init("-")};
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("CPU to plan for (llc -mcpu names; empty: the host)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Extra target features (+avx512f,...)"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads to plan for (0: every core of the target)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Fuse first, as infer-run and infer-compile do"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> layouts{
      *this, "layouts",
      llvm::cl::desc("The layout tasks (the pipeline up to the weights' "
                     "layouts) instead of the schedule tasks"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> tuningDb{
      *this, "tuning-db",
      llvm::cl::desc("Tuning database whose weight layouts and schedules "
                     "the compile up to the tasks replays"),
      llvm::cl::init("")};
};

/// `--tune-tasks`: the CPU pipeline up to the schedules (graph passes,
/// infer -> linalg, fusion, packed weights, the model's schedules), then
/// infer-cpu-extract-tuning-tasks: the tasks a compile of this model has,
/// for infer-tune. With `layouts`, the pipeline up to the weights' layouts,
/// then infer-cpu-extract-layout-tasks.
void buildTuneTasksPipeline(OpPassManager &pm, const TuneTasksOptions &options);

/// Options of the user-level `--quantize-int8` and `--quantize-report`
/// pipelines.
struct QuantizeOptions : public PassPipelineOptions<QuantizeOptions> {
  PassOptions::Option<std::string> calibration{
      *this, "calibration",
      llvm::cl::desc("The calibration table (JSON from infer-calibrate)"),
      llvm::cl::init("")};
  PassOptions::ListOption<std::string> only{
      *this, "only",
      llvm::cl::desc("Quantize only the ops of these ONNX nodes")};
};

/// `--quantize-int8`: batch norms folded into their convolutions, then
/// `infer-quantize` with the calibration table: convolutions, gemms and
/// matmuls with constant weights become int8 ops, with quantize and
/// dequantize at the borders of the int8 regions. Runs on the graph, before
/// `--fuse` and `--tile` (infer-opt orders the three flags so).
void buildQuantizePipeline(OpPassManager &pm, const QuantizeOptions &options,
                           bool report);

/// `--convert-bf16` / `--convert-fp16`: batch norms folded into their
/// convolutions, then `infer-convert-precision`: half-precision weights and
/// inputs of convolutions and contractions, f32 accumulation. Runs on the
/// graph, before `--fuse` and `--tile`.
void buildConvertPrecisionPipeline(OpPassManager &pm, StringRef precision,
                                   bool report);

/// Options of the user-level `--fuse` and `--fuse-report` pipelines: one
/// switch per fusion kind.
struct FuseOptions : public PassPipelineOptions<FuseOptions> {
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("CPU to plan for (llc -mcpu names; empty: the host)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Extra target features (+avx512f,...)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> foldBatchNorm{
      *this, "fold-batch-norm",
      llvm::cl::desc("Fold batch_norm into the convolution before it"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> recognizeActivations{
      *this, "recognize-activations",
      llvm::cl::desc("Decomposed GELU and SiLU become named ops"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> recognizeNormalizations{
      *this, "recognize-normalizations",
      llvm::cl::desc("Decomposed softmax and layer norm become named ops"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> horizontal{
      *this, "horizontal",
      llvm::cl::desc("Sibling matmuls that share an input become one wider "
                     "matmul and slices"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> horizontalConvs{
      *this, "horizontal-convs",
      llvm::cl::desc("Sibling convolutions with the same window over one "
                     "input become one wider convolution and slices"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> elementwise{
      *this, "elementwise",
      llvm::cl::desc("Elementwise producers fuse into elementwise and "
                     "reduction consumers"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> transposes{
      *this, "transposes",
      llvm::cl::desc("Transposes fold into the operand access of their "
                     "consumers"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> reshapes{
      *this, "reshapes",
      llvm::cl::desc("Reshapes move below elementwise consumers"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> maxGroupSize{
      *this, "max-group-size",
      llvm::cl::desc("Most ops one fused kernel may hold"), llvm::cl::init(16)};
  PassOptions::Option<int64_t> maxRecompute{
      *this, "max-recompute",
      llvm::cl::desc("Most ops per element of a producer cloned into several "
                     "consumers"),
      llvm::cl::init(4)};
};

/// `--fuse`: the graph rewrites of infer-fuse, channels-last layout, infer ->
/// linalg, and producer/consumer fusion on linalg (infer-cpu-fuse). `--tile`,
/// `infer-run` and `infer-compile` take the result. With `report`, every
/// group and every rejected candidate is a remark (`--fuse-report`).
void buildFusePipeline(OpPassManager &pm, const FuseOptions &options,
                       bool report);

/// Registers `infer-cpu-pipeline`, `tile`, `tile-report`, `fuse` and
/// `fuse-report`.
void registerCPUPipeline();

} // namespace mlir::infer

#endif // INFER_PIPELINES_PIPELINES_H
