//===- ConstantLayouts.cpp - re-lay out constants at compile time ---------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Weights are compile-time constants: transposes and panel packing of them
// are computed here, on the raw bytes (a model's weights are tens of
// megabytes; APFloat iteration would take seconds), and never per call.
// Large results become dense_resource blobs aligned for vector loads.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace mlir::infer;

namespace {
/// The row-major bytes of an integer or float constant.
struct RawConstant {
  ArrayRef<char> data;
  int64_t elementBytes = 0;
  bool splat = false;
};
} // namespace

static FailureOr<RawConstant> getRaw(ElementsAttr value) {
  auto type = cast<ShapedType>(value.getType());
  Type element = type.getElementType();
  if (!element.isIntOrFloat() || element.isInteger(1) ||
      element.getIntOrFloatBitWidth() % 8 != 0)
    return failure();
  RawConstant raw;
  raw.elementBytes = element.getIntOrFloatBitWidth() / 8;
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value)) {
    raw.data = dense.getRawData();
    raw.splat = dense.isSplat();
    return raw;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    raw.data = blob->getData();
    if (static_cast<int64_t>(raw.data.size()) !=
        raw.elementBytes * type.getNumElements())
      return failure();
    return raw;
  }
  return failure();
}

/// A constant of `type` holding `data`: a dense literal when small, else a
/// 64-byte aligned resource blob.
static ElementsAttr makeConstant(ShapedType type, ArrayRef<char> data,
                                 StringRef hint) {
  if (type.getNumElements() <= 64)
    return DenseElementsAttr::getFromRawBuffer(type, data);
  return DenseResourceElementsAttr::get(
      type, hint, HeapAsmResourceBlob::allocateAndCopyWithAlign(data, 64));
}

FailureOr<ElementsAttr> mlir::infer::transposeConstant(ElementsAttr value,
                                                       ArrayRef<int64_t> perm) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto type = cast<ShapedType>(value.getType());
  if (failed(raw) || !type.hasStaticShape() ||
      static_cast<int64_t>(perm.size()) != type.getRank())
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = type.clone(shape);
  if (raw->splat)
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(
        resultType, raw->data.take_front(raw->elementBytes)));

  int64_t rank = type.getRank(), n = type.getNumElements();
  int64_t bytes = raw->elementBytes;
  SmallVector<int64_t> srcStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    srcStrides[d] = srcStrides[d + 1] * type.getDimSize(d + 1);
  // Walking the result in order, the source offset moves by the stride of
  // the source dimension each result dimension maps to.
  SmallVector<int64_t> step(rank);
  for (int64_t i = 0; i < rank; ++i)
    step[i] = srcStrides[perm[i]];
  std::vector<char> out(n * bytes);
  SmallVector<int64_t> index(rank, 0);
  int64_t src = 0;
  const char *in = raw->data.data();
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out.data() + i * bytes, in + src * bytes, bytes);
    for (int64_t d = rank - 1; d >= 0; --d) {
      src += step[d];
      if (++index[d] < shape[d])
        break;
      src -= step[d] * shape[d];
      index[d] = 0;
    }
  }
  return makeConstant(resultType, out, "transposed");
}

FailureOr<ElementsAttr> mlir::infer::packPanelsConstant(ElementsAttr value,
                                                        bool transposed,
                                                        int64_t nr) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto type = cast<ShapedType>(value.getType());
  if (failed(raw) || !type.hasStaticShape() || type.getRank() != 2 || nr <= 0)
    return failure();
  int64_t k = type.getDimSize(transposed ? 1 : 0);
  int64_t n = type.getDimSize(transposed ? 0 : 1);
  int64_t panels = llvm::divideCeil(n, nr);
  auto resultType = type.clone({panels, k, nr});
  int64_t bytes = raw->elementBytes;
  std::vector<char> out(panels * k * nr * bytes, 0);
  const char *in = raw->data.data();
  for (int64_t j = 0; j < panels; ++j)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t i = 0; i < nr; ++i) {
        int64_t col = j * nr + i;
        if (col >= n)
          continue; // zero padding
        int64_t src =
            raw->splat ? 0 : (transposed ? col * k + kk : kk * n + col);
        std::memcpy(out.data() + ((j * k + kk) * nr + i) * bytes,
                    in + src * bytes, bytes);
      }
  return makeConstant(resultType, out, "packed");
}

FailureOr<ElementsAttr> mlir::infer::packDotPanelsConstant(ElementsAttr value,
                                                           bool transposed,
                                                           int64_t nr,
                                                           int64_t kGroup) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto type = cast<ShapedType>(value.getType());
  if (failed(raw) || !type.hasStaticShape() || type.getRank() != 2 || nr <= 0 ||
      kGroup <= 0)
    return failure();
  int64_t k = type.getDimSize(transposed ? 1 : 0);
  int64_t n = type.getDimSize(transposed ? 0 : 1);
  int64_t panels = llvm::divideCeil(n, nr);
  int64_t groups = llvm::divideCeil(k, kGroup);
  auto resultType = type.clone({panels, groups, nr, kGroup});
  int64_t bytes = raw->elementBytes;
  std::vector<char> out(panels * groups * nr * kGroup * bytes, 0);
  const char *in = raw->data.data();
  for (int64_t j = 0; j < panels; ++j)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t i = 0; i < nr; ++i)
        for (int64_t e = 0; e < kGroup; ++e) {
          int64_t col = j * nr + i, row = g * kGroup + e;
          if (col >= n || row >= k)
            continue; // zero padding
          int64_t src =
              raw->splat ? 0 : (transposed ? col * k + row : row * n + col);
          std::memcpy(out.data() +
                          (((j * groups + g) * nr + i) * kGroup + e) * bytes,
                      in + src * bytes, bytes);
        }
  return makeConstant(resultType, out, "packed");
}

FailureOr<ElementsAttr> mlir::infer::padRowsConstant(ElementsAttr value,
                                                     int64_t rows) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto type = cast<ShapedType>(value.getType());
  if (failed(raw) || !type.hasStaticShape() || type.getRank() != 2 ||
      rows < type.getDimSize(0))
    return failure();
  int64_t rowBytes = type.getDimSize(1) * raw->elementBytes;
  int64_t size = type.getDimSize(0) * rowBytes;
  std::vector<char> out(rows * rowBytes, 0);
  if (raw->splat) {
    for (int64_t i = 0; i < size; i += raw->elementBytes)
      std::memcpy(out.data() + i, raw->data.data(), raw->elementBytes);
  } else {
    std::memcpy(out.data(), raw->data.data(), size);
  }
  return makeConstant(type.clone({rows, type.getDimSize(1)}), out, "padded");
}

FailureOr<ElementsAttr> mlir::infer::sliceConstant(ElementsAttr value,
                                                   int64_t index) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto type = cast<ShapedType>(value.getType());
  if (failed(raw) || !type.hasStaticShape() || type.getRank() < 2 ||
      index < 0 || index >= type.getDimSize(0))
    return failure();
  auto resultType = type.clone(type.getShape().drop_front());
  int64_t bytes = raw->elementBytes;
  if (raw->splat)
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(
        resultType, raw->data.take_front(bytes)));
  int64_t size = resultType.getNumElements() * bytes;
  return makeConstant(resultType, raw->data.slice(index * size, size),
                      "sliced");
}

FailureOr<ElementsAttr> mlir::infer::reshapeConstant(ElementsAttr value,
                                                     ShapedType type) {
  FailureOr<RawConstant> raw = getRaw(value);
  auto from = cast<ShapedType>(value.getType());
  if (failed(raw) || !from.hasStaticShape() || !type.hasStaticShape() ||
      from.getNumElements() != type.getNumElements() ||
      from.getElementType() != type.getElementType())
    return failure();
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return ElementsAttr(dense.reshape(type));
  return makeConstant(type, raw->data, "reshaped");
}

namespace {
/// linalg.transpose(arith.constant) -> arith.constant.
struct FoldConstantTranspose final : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto constant = op.getInput().getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    auto value = dyn_cast<ElementsAttr>(constant.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant is not elements");
    FailureOr<ElementsAttr> transposed =
        transposeConstant(value, op.getPermutation());
    if (failed(transposed))
      return rewriter.notifyMatchFailure(op, "unsupported constant");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, *transposed);
    return success();
  }
};

/// tensor.expand_shape / collapse_shape of an arith.constant -> a constant
/// of the new shape (the same bytes; resource blobs included, which the
/// upstream folders leave alone).
template <typename ReshapeOp>
struct FoldConstantReshape final : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto constant = op.getSrc().template getDefiningOp<arith::ConstantOp>();
    auto value =
        constant ? dyn_cast<ElementsAttr>(constant.getValue()) : ElementsAttr();
    if (!value)
      return rewriter.notifyMatchFailure(op, "source is not a constant");
    FailureOr<ElementsAttr> reshaped =
        reshapeConstant(value, cast<ShapedType>(op.getResultType()));
    if (failed(reshaped))
      return rewriter.notifyMatchFailure(op, "unsupported constant");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, *reshaped);
    return success();
  }
};
} // namespace

void mlir::infer::populateFoldConstantTransposePatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<FoldConstantTranspose, FoldConstantReshape<tensor::ExpandShapeOp>,
           FoldConstantReshape<tensor::CollapseShapeOp>>(patterns.getContext());
}
