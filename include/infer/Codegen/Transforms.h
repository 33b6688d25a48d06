//===- Transforms.h - reusable code generation patterns ---------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The mechanisms behind the codegen passes, as functions other compilers
// can reuse: compile-time re-layout of constants, the packed-weight
// rewrite of contractions, the schedule model and the schedule application.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CODEGEN_TRANSFORMS_H
#define INFER_CODEGEN_TRANSFORMS_H

#include "infer/Codegen/CPU/TargetModel.h"
#include "infer/Dialect/Infer/IR/InferAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::infer {

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// `value` transposed by `perm` (result dim i = source dim perm[i]), computed
/// at compile time on the raw bytes. Fails for element types that are not
/// whole bytes.
FailureOr<ElementsAttr> transposeConstant(ElementsAttr value,
                                          ArrayRef<int64_t> perm);

/// `value` with the same elements in order under the static shape `type`.
FailureOr<ElementsAttr> reshapeConstant(ElementsAttr value, ShapedType type);

/// The 2-D `value` with zero rows appended up to `rows`.
FailureOr<ElementsAttr> padRowsConstant(ElementsAttr value, int64_t rows);

/// Slice `index` of `value` along its first dimension, which is dropped.
FailureOr<ElementsAttr> sliceConstant(ElementsAttr value, int64_t index);

/// B as panels `[N/nr][K][nr]` (`N` padded to a multiple of `nr` with
/// zeros); `B` is `[K, N]`, or `[N, K]` when `transposed`.
FailureOr<ElementsAttr> packPanelsConstant(ElementsAttr value, bool transposed,
                                           int64_t nr);

/// B as panels of `kGroup` consecutive K rows interleaved per column, the
/// operand layout of the dot-product instructions (`vpdpbusd` multiplies
/// four adjacent bytes of each 32-bit lane): `[N/nr][K/kGroup][nr][kGroup]`,
/// with `N` and `K` padded with zeros to multiples of `nr` and `kGroup`.
FailureOr<ElementsAttr> packDotPanelsConstant(ElementsAttr value,
                                              bool transposed, int64_t nr,
                                              int64_t kGroup);

/// A grouped convolution (NHWGC input, GFHWC constant filter, at most
/// `maxGroups` groups) becomes one NHWC/HWCF convolution per group on
/// slices of the input and the accumulator, which the CPU kernels handle
/// (1x1 ones as packed GEMMs).
void populateSplitGroupedConvPatterns(RewritePatternSet &patterns,
                                      int64_t maxGroups = 64);

/// Folds `linalg.transpose`, `tensor.expand_shape` and `tensor.collapse_shape`
/// of an `arith.constant` into a new constant.
void populateFoldConstantTransposePatterns(RewritePatternSet &patterns);

/// Rewrites contractions with a constant right-hand side into the packed
/// panel form (see infer-cpu-pack-weights), `nr` f32 columns a panel; 1x1
/// convolutions, and convolutions whose filter outgrows half of `l2Bytes`
/// and their input, become such contractions first.
/// With `halfDot` (bf16 dot products on the target), every bf16
/// convolution becomes an im2col product, for the bf16 kernel.
void populatePackConstantWeightsPatterns(RewritePatternSet &patterns,
                                         int64_t nr, int64_t l2Bytes,
                                         bool halfDot = false);

/// Rewrites contractions with a constant B whose body a dot-product
/// instruction computes into the dot-product panel form: loops (m, n1, n0,
/// k1, k0) over A as `[M][K/G][G]` and B packed by `packDotPanelsConstant`,
/// `nr` columns a panel. `bytes`: unsigned by signed bytes into i32 (G = 4,
/// AVX512-VNNI), with int8 convolutions as im2col products first; `bf16`:
/// bf16 by bf16 into f32 (G = 2, AVX512-BF16). See
/// populateContractToDotProductPatterns.
void populatePackConstantDotWeightsPatterns(RewritePatternSet &patterns,
                                            int64_t nr, bool bytes, bool bf16);

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

/// Moves the reshapes between a contraction (a matmul, a packed or im2col
/// convolution) and its all-parallel consumers out of the way: the
/// consumer's loops are collapsed (`expand` false: an expand_shape in the
/// way) or expanded (`expand`: a collapse_shape in the way) to the
/// contraction's result shape, by upstream's reshape-by-collapsing and
/// -by-expansion patterns with this as their control, so that it reads the
/// result through the identity and runs as the contraction's epilogue at
/// tile level. Apply the collapsing set first, then the expanding one: in
/// one set they undo each other.
void populateEpilogueReshapePatterns(RewritePatternSet &patterns, bool expand);

//===----------------------------------------------------------------------===//
// Schedules
//===----------------------------------------------------------------------===//

/// Default of `minParallelNs`: forking and joining a parallel region costs a
/// few microseconds, and on a busy machine the other threads may not be
/// scheduled for much longer.
inline constexpr int64_t kDefaultMinParallelNs = 20000;

/// The schedule the analytical model chooses for `op` on `target` with
/// `threads` threads, or a null attribute when the CPU code generator has no
/// strategy for it (the op then lowers to plain loops). An op estimated to
/// take less than `minParallelNs` on one thread is planned for one thread.
ScheduleAttr selectCPUSchedule(linalg::LinalgOp op,
                               const CPUTargetModel &target, int64_t threads,
                               int64_t minParallelNs = kDefaultMinParallelNs);

/// Whether `op` reads or writes a shaped value of i1. Such ops are not
/// vectorized: a vector of i1 is stored as packed bits, a tensor of i1 as one
/// byte per element.
bool hasBoolOperands(Operation *op);

/// Why infer-tile cannot apply `schedule` to `op` as it is (another number
/// of loops; thread tiles that split a reduction loop, which would race on
/// the result), or nothing when it can try.
std::optional<std::string> whyScheduleDoesNotFit(linalg::LinalgOp op,
                                                 ScheduleAttr schedule);

/// The elementwise consumers that infer-tile runs on the tiles of each
/// scheduled convolution or contraction of `func` (its epilogue: a bias,
/// ReLU, a residual add), in order, by anchor.
llvm::MapVector<Operation *, SmallVector<linalg::GenericOp>>
findScheduleEpilogues(Operation *func);

/// Applies the schedules of the linalg ops in `func` (tiling, distribution,
/// vectorization; see infer-tile) and removes them. Reports the ops whose
/// schedule could not be applied as warnings and leaves them as they were.
/// With `epilogues`, elementwise consumers of convolutions and contractions
/// run on their tiles.
LogicalResult applySchedules(Operation *func, bool epilogues = true);

/// Vector lowering patterns for x86 after bufferization.
void populateCPUVectorLoweringPatterns(RewritePatternSet &patterns);

/// vector.contract of unsigned bytes by signed bytes into i32 lanes, four
/// bytes of K innermost, or of bf16 by bf16 into f32 lanes, two values of K
/// innermost (the register tiles of the dot-product panel form) ->
/// AVX512-VNNI `vpdpbusd` / AVX512-BF16 `vdpbf16ps`, one per row of A and
/// 16 columns of B.
void populateContractToDotProductPatterns(RewritePatternSet &patterns);

/// Strided memref.copy -> linalg.copy (loops LLVM vectorizes) instead of the
/// runtime's element-by-element copy.
void populateCPUCopyLoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::infer

#endif // INFER_CODEGEN_TRANSFORMS_H
