//===- CPUPipeline.cpp - infer-cpu-pipeline and its stages ----------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// infer -> (graph passes) -> linalg on tensors -> (packing, schedules,
// tiling, vectorization) -> one-shot bufferization (functions return owned
// buffers) -> vector lowering, OpenMP, loops -> LLVM dialect. Each stage is
// a builder of its own, as upstream's addTosaToLinalgPasses and IREE's
// per-phase builders are, so a GPU pipeline can reuse the graph and linalg
// stages. The passes are constructed directly, so hosts that register
// nothing but this pipeline (the C API, a downstream compiler) can run it.
// Every stage is a no-op on a module past it: infer-run and infer-compile
// accept a module at any stage.
//
//===----------------------------------------------------------------------===//

#include "infer/Pipelines/Pipelines.h"

#include "infer/Codegen/Passes.h"
#include "infer/Conversion/Passes.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Async/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Threading.h"

using namespace mlir;
using namespace mlir::infer;

static void addSimplifications(OpPassManager &pm,
                               const CPUPipelineOptions &options) {
  if (options.optLevel == 0)
    return;
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
}

void mlir::infer::buildGraphPasses(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  pm.addPass(createRecordSignaturesPass());
  pm.addPass(createRefineShapesPass());
  if (options.optLevel > 0)
    pm.addPass(createCanonicalizerPass());
  if (options.codegen()) {
    if (options.fuse)
      pm.addNestedPass<func::FuncOp>(createFusePass());
    // The CPU kernels read activations channels-last.
    pm.addNestedPass<func::FuncOp>(createConvertLayoutPass());
    pm.addPass(createCanonicalizerPass());
  }
}

/// The code generator on linalg tensors, shared by infer-cpu-pipeline and
/// --tile/--tile-report: weights packed for the target, a schedule per op
/// (`select` carries the caller's report/record/min-parallel-ns settings;
/// the target and threads come from `options`), then tiling unless `tile`
/// is false.
static void addCodegenOnTensors(OpPassManager &pm,
                                const CPUPipelineOptions &options,
                                CPUSelectSchedulePassOptions select,
                                bool tile) {
  CPUPackWeightsPassOptions pack;
  pack.targetCPU = options.targetCPU;
  pack.targetFeatures = options.targetFeatures;
  pack.threads = options.threads;
  pack.tuningDb = options.tuningDb;
  pack.report = select.report;
  pm.addNestedPass<func::FuncOp>(createCPUPackWeightsPass(pack));
  addSimplifications(pm, options);
  select.targetCPU = options.targetCPU;
  select.targetFeatures = options.targetFeatures;
  select.threads = options.threads;
  select.tuningDb = options.tuningDb;
  pm.addNestedPass<func::FuncOp>(createCPUSelectSchedulePass(select));
  if (tile) {
    TilePassOptions tiling;
    tiling.epilogues = options.fuse;
    pm.addNestedPass<func::FuncOp>(createTilePass(tiling));
  }
}

/// infer -> linalg and, when the pipeline generates code, linalg fusion:
/// the IR whose weights infer-cpu-pack-weights lays out.
static void addCPULinalgFusion(OpPassManager &pm,
                               const CPUPipelineOptions &options) {
  pm.addPass(createConvertInferToLinalgPass());
  addSimplifications(pm, options);
  if (!options.codegen() || !options.fuse)
    return;
  CPUFusePassOptions fuse;
  fuse.targetCPU = options.targetCPU;
  fuse.targetFeatures = options.targetFeatures;
  pm.addNestedPass<func::FuncOp>(createCPUFusePass(fuse));
  addSimplifications(pm, options);
}

/// infer -> linalg and the code generator on tensors up to the schedules;
/// tiling when `tile`.
static void addCPULinalgPasses(OpPassManager &pm,
                               const CPUPipelineOptions &options, bool tile) {
  addCPULinalgFusion(pm, options);
  if (!options.codegen())
    return;
  CPUSelectSchedulePassOptions select;
  // The profiler names each kernel with the model's estimate.
  select.record = options.profile;
  addCodegenOnTensors(pm, options, select, tile);
}

void mlir::infer::buildCPULinalgPasses(OpPassManager &pm,
                                       const CPUPipelineOptions &options) {
  addCPULinalgPasses(pm, options, /*tile=*/true);
}

/// The options of an extract-tasks pass (either kind) from `tune`'s.
template <typename ExtractOptions>
static ExtractOptions extractOptions(const TuneTasksOptions &tune) {
  ExtractOptions extract;
  extract.output = tune.output;
  extract.targetCPU = tune.targetCPU;
  extract.targetFeatures = tune.targetFeatures;
  extract.threads = tune.threads;
  return extract;
}

void mlir::infer::buildTuneTasksPipeline(OpPassManager &pm,
                                         const TuneTasksOptions &tune) {
  CPUPipelineOptions options;
  options.targetCPU = tune.targetCPU;
  options.targetFeatures = tune.targetFeatures;
  options.threads = tune.threads;
  options.fuse = tune.fuse;
  options.tuningDb = tune.tuningDb;
  buildGraphPasses(pm, options);
  if (tune.layouts) {
    addCPULinalgFusion(pm, options);
    pm.addPass(createCPUExtractLayoutTasksPass(
        extractOptions<CPUExtractLayoutTasksPassOptions>(tune)));
    return;
  }
  addCPULinalgPasses(pm, options, /*tile=*/false);
  pm.addPass(createCPUExtractTuningTasksPass(
      extractOptions<CPUExtractTuningTasksPassOptions>(tune)));
}

void mlir::infer::buildBufferizationPasses(OpPassManager &pm,
                                           const CPUPipelineOptions &options) {
  // Producers write straight into the slices of their consumer's buffer (a
  // concatenation, the interior of a padded image) instead of a buffer of
  // their own that is copied.
  if (options.codegen()) {
    pm.addNestedPass<func::FuncOp>(createDecomposePadsPass());
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
  }
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (options.codegen()) {
    // In-place updates of a tile leave copies of a view onto the same view:
    // CSE makes them one value, canonicalization drops the self-copies.
    pm.addNestedPass<func::FuncOp>(createCSEPass());
    pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
    pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
    // Intermediate buffers share one resident arena, reused by liveness.
    pm.addPass(createPlanMemoryPass());
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  if (options.profile)
    pm.addPass(createProfileKernelsPass());
}

void mlir::infer::buildCPULoweringPasses(OpPassManager &pm,
                                         const CPUPipelineOptions &options) {
  // What the code generator left (and everything at opt-level 0/1) runs as
  // loops; vectors go to the forms the target handles.
  if (options.codegen())
    pm.addNestedPass<func::FuncOp>(createCPULowerVectorsPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addSimplifications(pm, options);
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
  if (options.codegen()) {
    // Thread tiles (scf.forall) run as OpenMP parallel loops, or as tasks
    // of MLIR's async runtime (thread-runtime=async).
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    if (options.threadRuntime == ThreadRuntime::Async) {
      AsyncParallelForPassOptions async;
      async.asyncDispatch = true;
      async.numWorkerThreads =
          options.threads > 0
              ? static_cast<int32_t>(options.threads)
              : static_cast<int32_t>(llvm::get_physical_cores() > 0
                                         ? llvm::get_physical_cores()
                                         : 1);
      async.minTaskSize = 1;
      pm.addPass(createAsyncParallelForPass(async));
      pm.addPass(createAsyncToAsyncRuntimePass());
      pm.addNestedPass<func::FuncOp>(createAsyncRuntimeRefCountingPass());
      pm.addNestedPass<func::FuncOp>(createAsyncRuntimeRefCountingOptPass());
      pm.addPass(createConvertAsyncToLLVMPass());
    } else {
      ConvertSCFToOpenMPPassOptions omp;
      omp.numThreads =
          static_cast<unsigned>(std::max<int64_t>(0, options.threads));
      pm.addPass(createConvertSCFToOpenMPPass(omp));
    }
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Before scf-to-cf: memref.alloca_scope must still have a single block.
  if (options.codegen())
    pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  // Integer powers become outlined loops; the rest maps to LLVM intrinsics,
  // and what has none (erf...) to libm.
  pm.addPass(createConvertMathToFuncs());
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  if (options.codegen()) {
    pm.addPass(createConvertVectorToLLVMPass());
    if (options.threadRuntime != ThreadRuntime::Async)
      pm.addPass(createConvertOpenMPToLLVMPass());
  }
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (options.optLevel > 0)
    pm.addPass(createCanonicalizerPass());
  if (!options.targetCPU.empty() || !options.targetFeatures.empty()) {
    SetLLVMTargetPassOptions target;
    target.cpu = options.targetCPU;
    target.features = options.targetFeatures;
    pm.addPass(createSetLLVMTargetPass(target));
  }
}

void mlir::infer::buildCPUPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  buildGraphPasses(pm, options);
  buildCPULinalgPasses(pm, options);
  buildBufferizationPasses(pm, options);
  buildCPULoweringPasses(pm, options);
}

/// The user-level pipelines' way from infer to linalg on tensors: signatures
/// kept, shapes refined, the graph rewrites of `graphFuse` when given, NHWC,
/// the conversion.
static void addInferToLinalg(OpPassManager &pm,
                             const CPUPipelineOptions &options,
                             const FusePassOptions *graphFuse) {
  pm.addPass(createRecordSignaturesPass());
  pm.addPass(createRefineShapesPass());
  if (graphFuse) {
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createFusePass(*graphFuse));
  }
  pm.addNestedPass<func::FuncOp>(createConvertLayoutPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertInferToLinalgPass());
  addSimplifications(pm, options);
}

void mlir::infer::buildTilePipeline(OpPassManager &pm, const TileOptions &tile,
                                    bool report) {
  CPUPipelineOptions options;
  options.targetCPU = tile.targetCPU;
  options.targetFeatures = tile.targetFeatures;
  options.threads = tile.threads;
  options.tuningDb = tile.tuningDb;
  addInferToLinalg(pm, options, /*graphFuse=*/nullptr);
  CPUSelectSchedulePassOptions select;
  select.report = report;
  select.minParallelNs = tile.minParallelNs;
  addCodegenOnTensors(pm, options, select, /*tile=*/!report);
}

void mlir::infer::buildFusePipeline(OpPassManager &pm,
                                    const FuseOptions &options, bool report) {
  CPUPipelineOptions cpu;
  cpu.targetCPU = options.targetCPU;
  cpu.targetFeatures = options.targetFeatures;
  FusePassOptions graph;
  graph.foldBatchNorm = options.foldBatchNorm;
  graph.recognizeActivations = options.recognizeActivations;
  graph.recognizeNormalizations = options.recognizeNormalizations;
  graph.horizontal = options.horizontal;
  graph.horizontalConvs = options.horizontalConvs;
  graph.report = report;
  addInferToLinalg(pm, cpu, &graph);
  CPUFusePassOptions linalg;
  linalg.targetCPU = options.targetCPU;
  linalg.targetFeatures = options.targetFeatures;
  linalg.elementwise = options.elementwise;
  linalg.transposes = options.transposes;
  linalg.reshapes = options.reshapes;
  linalg.maxGroupSize = options.maxGroupSize;
  linalg.maxRecompute = options.maxRecompute;
  linalg.report = report;
  pm.addNestedPass<func::FuncOp>(createCPUFusePass(linalg));
  addSimplifications(pm, cpu);
}

/// The graph as the precision passes take it: signatures kept, shapes
/// refined, batch norms folded into their convolutions (the calibration
/// table has the batch norm's value, which the folded convolution
/// computes; the folded weights are the ones to round).
static void addPrecisionPrologue(OpPassManager &pm) {
  pm.addPass(createRecordSignaturesPass());
  pm.addPass(createRefineShapesPass());
  pm.addPass(createCanonicalizerPass());
  FusePassOptions fold;
  fold.recognizeActivations = false;
  fold.recognizeNormalizations = false;
  fold.horizontal = false;
  pm.addNestedPass<func::FuncOp>(createFusePass(fold));
}

void mlir::infer::buildConvertPrecisionPipeline(OpPassManager &pm,
                                                StringRef precision,
                                                bool report) {
  addPrecisionPrologue(pm);
  ConvertPrecisionPassOptions options;
  options.precision = precision.str();
  options.report = report;
  pm.addNestedPass<func::FuncOp>(createConvertPrecisionPass(options));
  pm.addPass(createCanonicalizerPass());
}

void mlir::infer::buildQuantizePipeline(OpPassManager &pm,
                                        const QuantizeOptions &options,
                                        bool report) {
  addPrecisionPrologue(pm);
  QuantizePassOptions quantize;
  quantize.calibration = options.calibration;
  quantize.only.assign(options.only.begin(), options.only.end());
  quantize.report = report;
  pm.addNestedPass<func::FuncOp>(createQuantizePass(quantize));
  pm.addPass(createCanonicalizerPass());
}

void mlir::infer::registerCPUPipeline() {
  PassPipelineRegistration<>(
      "convert-bf16",
      "bf16 weights and inputs of convolutions and contractions, f32 "
      "accumulation (batch norms folded first)",
      [](OpPassManager &pm) {
        buildConvertPrecisionPipeline(pm, "bf16", /*report=*/false);
      });
  PassPipelineRegistration<>(
      "convert-fp16",
      "f16 weights and inputs of convolutions and contractions, f32 "
      "accumulation (batch norms folded first)",
      [](OpPassManager &pm) {
        buildConvertPrecisionPipeline(pm, "f16", /*report=*/false);
      });
  PassPipelineRegistration<QuantizeOptions>(
      "quantize-int8",
      "Post-training int8 quantization from a calibration table "
      "(calibration=FILE): batch norms folded, then infer-quantize",
      [](OpPassManager &pm, const QuantizeOptions &options) {
        buildQuantizePipeline(pm, options, /*report=*/false);
      });
  PassPipelineRegistration<QuantizeOptions>(
      "quantize-report",
      "Run --quantize-int8 and print, per convolution and contraction, its "
      "int8 scales or why it stays fp32",
      [](OpPassManager &pm, const QuantizeOptions &options) {
        buildQuantizePipeline(pm, options, /*report=*/true);
      });
  PassPipelineRegistration<CPUPipelineOptions>(
      "infer-cpu-pipeline",
      "Lower infer (or linalg on tensors) to the LLVM dialect for CPUs, with "
      "C interface wrappers for every function",
      buildCPUPipeline);
  PassPipelineRegistration<TileOptions>(
      "tile",
      "The CPU code generator on tensors: channels-last layout, infer -> "
      "linalg, weights packed at compile time, a schedule per op from the "
      "target model, tiling, distribution over threads and vectorization",
      [](OpPassManager &pm, const TileOptions &options) {
        buildTilePipeline(pm, options, /*report=*/false);
      });
  PassPipelineRegistration<TileOptions>(
      "tile-report",
      "Choose the schedules --tile would apply and print one remark per op: "
      "its shapes, the schedule and the model's estimated time",
      [](OpPassManager &pm, const TileOptions &options) {
        buildTilePipeline(pm, options, /*report=*/true);
      });
  PassPipelineRegistration<TuneTasksOptions>(
      "tune-tasks",
      "Write the tuning tasks of the model as JSON lines for infer-tune: the "
      "CPU pipeline up to the schedules, then one line per distinct task",
      [](OpPassManager &pm, const TuneTasksOptions &options) {
        buildTuneTasksPipeline(pm, options);
      });
  PassPipelineRegistration<FuseOptions>(
      "fuse",
      "Fusion: batch norms folded, decomposed activations and normalizations "
      "recognized, sibling matmuls merged (infer-fuse), then infer -> linalg "
      "and producer/consumer fusion under the memory-traffic cost model "
      "(infer-cpu-fuse)",
      [](OpPassManager &pm, const FuseOptions &options) {
        buildFusePipeline(pm, options, /*report=*/false);
      });
  PassPipelineRegistration<FuseOptions>(
      "fuse-report",
      "Run --fuse and print every group, every rejected candidate with its "
      "reason, and the kernels and intermediate bytes before and after",
      [](OpPassManager &pm, const FuseOptions &options) {
        buildFusePipeline(pm, options, /*report=*/true);
      });
}
