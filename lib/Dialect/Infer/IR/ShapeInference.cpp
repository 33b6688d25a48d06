//===- ShapeInference.cpp - shape rules of the infer ops ------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/ShapeInference.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::infer;

static bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }

std::string mlir::infer::formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::interleave(
      shape, [&](int64_t d) { s += isDynamic(d) ? "?" : std::to_string(d); },
      [&] { s += ", "; });
  return s + "]";
}

FailureOr<int64_t> mlir::infer::normalizeAxis(int64_t axis, int64_t rank,
                                              ShapeErrorFn fail,
                                              StringRef what) {
  if (axis < -rank || axis >= rank) {
    fail(what + " " + Twine(axis) + " is out of range for rank " + Twine(rank));
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
mlir::infer::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                             ShapeErrorFn fail) {
  SmallVector<int64_t> result;
  if (!OpTrait::util::getBroadcastedShape(lhs, rhs, result)) {
    fail("shapes " + formatShape(lhs) + " and " + formatShape(rhs) +
         " do not broadcast");
    return failure();
  }
  return result;
}

FailureOr<int64_t> mlir::infer::windowOutputSize(
    int64_t size, int64_t kernel, int64_t stride, int64_t padBegin,
    int64_t padEnd, int64_t dilation, bool ceilMode, ShapeErrorFn fail) {
  if (stride <= 0 || dilation <= 0) {
    fail("strides and dilations must be positive");
    return failure();
  }
  if (padBegin < 0 || padEnd < 0) {
    fail("pads must be non-negative");
    return failure();
  }
  if (!isDynamic(kernel) && kernel <= 0) {
    fail("kernel sizes must be positive");
    return failure();
  }
  if (isDynamic(size) || isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t window = dilation * (kernel - 1) + 1;
  int64_t padded = size + padBegin + padEnd;
  if (padded < window) {
    fail("window of extent " + Twine(window) +
         " does not fit the padded input of size " + Twine(padded));
    return failure();
  }
  int64_t span = padded - window;
  int64_t out = (ceilMode ? llvm::divideCeil(span, stride) : span / stride) + 1;
  // ONNX: with ceil_mode the last window must start inside the input or the
  // leading padding.
  if (ceilMode && (out - 1) * stride >= size + padBegin)
    --out;
  return out;
}

FailureOr<SmallVector<int64_t>>
mlir::infer::reshapeShape(ArrayRef<int64_t> input, ArrayRef<int64_t> shape,
                          ShapeErrorFn fail) {
  SmallVector<int64_t> result;
  std::optional<size_t> inferred;
  // Dimensions copied with `0` cancel between input and output, which lets a
  // dynamic batch dimension pass through a reshape whose other sizes are known.
  SmallVector<bool> copied(input.size(), false);
  for (auto [i, entry] : llvm::enumerate(shape)) {
    if (entry == -1) {
      if (inferred) {
        fail("shape may contain at most one -1");
        return failure();
      }
      inferred = i;
      result.push_back(ShapedType::kDynamic);
    } else if (entry == 0) {
      if (i >= input.size()) {
        fail("shape entry 0 at position " + Twine(i) +
             " copies a dimension the input (rank " + Twine(input.size()) +
             ") does not have");
        return failure();
      }
      copied[i] = true;
      result.push_back(input[i]);
    } else if (entry < 0) {
      fail("shape entries must be -1, 0 or positive, got " + Twine(entry));
      return failure();
    } else {
      result.push_back(entry);
    }
  }

  int64_t inElems = 1, outElems = 1;
  bool inDynamic = false, outDynamic = false;
  for (auto [i, dim] : llvm::enumerate(input)) {
    if (copied[i])
      continue;
    if (isDynamic(dim))
      inDynamic = true;
    else
      inElems *= dim;
  }
  for (auto [i, dim] : llvm::enumerate(result)) {
    if ((i < copied.size() && copied[i]) || (inferred && *inferred == i))
      continue;
    if (isDynamic(dim))
      outDynamic = true;
    else
      outElems *= dim;
  }
  if (inDynamic || outDynamic)
    return result;
  if (inferred) {
    if (outElems == 0 || inElems % outElems != 0) {
      fail("cannot infer the -1 entry: " + Twine(inElems) +
           " elements do not divide into blocks of " + Twine(outElems));
      return failure();
    }
    result[*inferred] = inElems / outElems;
    return result;
  }
  if (inElems != outElems) {
    fail("cannot reshape " + Twine(inElems) + " elements into " +
         Twine(outElems));
    return failure();
  }
  return result;
}

SliceRange mlir::infer::normalizeSlice(int64_t dim, int64_t start, int64_t end,
                                       int64_t step) {
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    int64_t size = end > start ? llvm::divideCeil(end - start, step) : 0;
    return {start, size};
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  int64_t size = start > end ? llvm::divideCeil(start - end, -step) : 0;
  return {start, size};
}

FailureOr<SmallVector<int64_t>> mlir::infer::matmulShape(ArrayRef<int64_t> lhs,
                                                         ArrayRef<int64_t> rhs,
                                                         ShapeErrorFn fail) {
  if (lhs.empty() || rhs.empty()) {
    fail("operands must have rank 1 or more");
    return failure();
  }
  SmallVector<int64_t> l(lhs), r(rhs);
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t lhsK = l.back(), rhsK = r[r.size() - 2];
  if (!dimsCompatible(lhsK, rhsK)) {
    fail("contraction dimensions differ: " + Twine(lhsK) + " vs " +
         Twine(rhsK));
    return failure();
  }
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(ArrayRef(l).drop_back(2), ArrayRef(r).drop_back(2), fail);
  if (failed(batch))
    return failure();
  SmallVector<int64_t> result(*batch);
  if (!lhsVector)
    result.push_back(l[l.size() - 2]);
  if (!rhsVector)
    result.push_back(r.back());
  return result;
}
