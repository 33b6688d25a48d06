//===- Transforms.h - reusable infer graph rewrites -------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Entry points of the graph passes for other compilers that embed them
// without running our pass pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_TRANSFORMS_TRANSFORMS_H
#define INFER_DIALECT_INFER_TRANSFORMS_TRANSFORMS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

#include <vector>

namespace mlir::infer {

/// Gives every result of an infer op in `func` the most static type its
/// type inference allows. Results whose type changes and that feed ops of
/// other dialects are cast back to the declared type; `func.return` operands
/// are cast back too unless `updateSignature` is set, in which case the
/// function's result types change instead. Returns whether anything changed.
bool refineShapes(func::FuncOp func, bool updateSignature);

/// Fixes the dynamic leading dimension of the ranked tensor arguments of
/// `func` to `batchSize` (the signature changes). Returns whether anything
/// changed.
bool specializeBatchSize(func::FuncOp func, int64_t batchSize);

/// The cost model of a convolution or contraction in low precision against
/// f32, in cycles of one core: multiply-adds at the f32 kernel's rate and
/// `macRatio` times it (int8 on vpdpbusd: 4, bf16 on vdpbf16ps: 2), plus,
/// for a window larger than 1x1, the im2col copy (K padded to `kGroup`, of
/// `elementBytes` each) that the dot-product kernels read instead of the
/// image. infer-quantize and infer-convert-precision keep an op in f32 where
/// the low-precision estimate is not lower.
struct LowPrecisionCost {
  double f32 = 0, low = 0, im2colBytes = 0;
};
LowPrecisionCost lowPrecisionCost(Operation *op, double macRatio,
                                  int64_t elementBytes, int64_t kGroup);

/// The f32 values of an infer.constant, whatever its storage (dense literal
/// or resource blob); failure for anything else.
FailureOr<std::vector<float>> getF32Values(Value value);

/// An infer.constant of `type` holding `values` (a resource blob named after
/// `hint` when large).
Value makeF32Constant(OpBuilder &builder, Location loc, RankedTensorType type,
                      const std::vector<float> &values, StringRef hint);

/// Sibling matmuls that read the same input with constant weights (Q/K/V
/// projections), each with an optional constant bias add, become one matmul
/// of the concatenated weights, one bias add, and a slice per sibling
/// (`matmuls`). Sibling convolutions with the same window over the same
/// input (the 1x1 branches of an inception block) become one convolution of
/// the concatenated filters and biases, and a slice per sibling; an
/// activation that every sibling has runs once on the wide result
/// (`convolutions`). Apply after batch norms are folded. With `report`,
/// each merge is a remark.
void populateHorizontalFusionPatterns(RewritePatternSet &patterns,
                                      bool report = false, bool matmuls = true,
                                      bool convolutions = true);

/// Folds batch normalizations with constant statistics into the weights and
/// bias of the convolution that feeds them (infer-fuse).
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// Decomposed activations as exporters write them (GELU's erf and tanh
/// forms, SiLU)
/// become the dialect's named ops.
void populateRecognizeActivationPatterns(RewritePatternSet &patterns);

/// Decomposed softmax (with or without the max subtraction) and layer
/// normalization over trailing axes become infer.softmax / infer.layer_norm.
void populateRecognizeNormalizationPatterns(RewritePatternSet &patterns);

/// Gives 4-D convolutions, pooling and batch normalizations the NHWC layout
/// with transposes around them (infer-convert-layout).
void populateNHWCLayoutPatterns(RewritePatternSet &patterns);

/// Moves transposes towards the outputs through ops that commute with them
/// (elementwise, concat, pad), so that transposes in and out meet and fold.
void populateSinkTransposePatterns(RewritePatternSet &patterns);

} // namespace mlir::infer

#endif // INFER_DIALECT_INFER_TRANSFORMS_TRANSFORMS_H
