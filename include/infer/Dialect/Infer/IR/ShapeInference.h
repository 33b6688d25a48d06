//===- ShapeInference.h - shape rules of the infer ops ----------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The shape arithmetic of the infer ops, on plain integer shapes where
// `ShapedType::kDynamic` marks an unknown dimension. The op verifiers, the
// result type inference and the importer-facing passes share these functions;
// they report why a shape is invalid through a callback so that the caller
// decides where the diagnostic goes.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_SHAPEINFERENCE_H
#define INFER_DIALECT_INFER_IR_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <optional>
#include <string>
#include <utility>

namespace mlir::infer {

/// Receives the reason a shape rule failed.
using ShapeErrorFn = llvm::function_ref<void(const llvm::Twine &)>;

/// Formats a shape as "[2, ?, 4]" (`?` for a dynamic dimension).
std::string formatShape(ArrayRef<int64_t> shape);

/// Returns `axis` in [0, rank) for an axis in [-rank, rank), or failure.
FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank, ShapeErrorFn fail,
                                 llvm::StringRef what = "axis");

/// Numpy broadcast of two shapes.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs,
                                                ShapeErrorFn fail);

/// Spatial output size of a convolution or pooling window: `size` padded by
/// `padBegin + padEnd`, window `kernel` dilated by `dilation`, `stride`.
/// With `ceilMode` the size rounds up, except that the last window must start
/// inside the input or the leading padding (ONNX). Dynamic in, dynamic out.
FailureOr<int64_t> windowOutputSize(int64_t size, int64_t kernel,
                                    int64_t stride, int64_t padBegin,
                                    int64_t padEnd, int64_t dilation,
                                    bool ceilMode, ShapeErrorFn fail);

/// ONNX Reshape: `0` copies the input dimension, one `-1` is inferred.
FailureOr<SmallVector<int64_t>> reshapeShape(ArrayRef<int64_t> input,
                                             ArrayRef<int64_t> shape,
                                             ShapeErrorFn fail);

/// One axis of an ONNX Slice after clamping: the first index and the number
/// of elements taken with `step`.
struct SliceRange {
  int64_t start;
  int64_t size;
};
/// Normalizes an ONNX slice of a static dimension `dim`.
SliceRange normalizeSlice(int64_t dim, int64_t start, int64_t end,
                          int64_t step);

/// Result shape of numpy matmul (rank-1 operands are promoted and the added
/// dimension removed again).
FailureOr<SmallVector<int64_t>>
matmulShape(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs, ShapeErrorFn fail);

/// Whether two dimensions may be equal (either is dynamic or they match).
/// The dimensions [first, last) that ONNX Shape's `start` and `end` select
/// in a shape of `rank` (negative values count from the back; both clamp).
std::pair<int64_t, int64_t> shapeOfRange(int64_t rank, int64_t start,
                                         std::optional<int64_t> end);

inline bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

} // namespace mlir::infer

#endif // INFER_DIALECT_INFER_IR_SHAPEINFERENCE_H
