//===- InferOps.cpp - infer dialect operations ----------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Result type inference and verifiers. Shape rules live in ShapeInference.cpp,
// folders and canonicalization patterns in InferFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/IR/ShapeInference.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <cmath>

using namespace mlir;
using namespace mlir::infer;

namespace {
/// Emits shape errors at the op's location, prefixed like a verifier message,
/// when type inference runs with a location (verification); stays silent when
/// a builder merely probes.
class ShapeDiagnostic {
public:
  ShapeDiagnostic(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}
  void operator()(const Twine &message) const {
    if (loc)
      mlir::emitError(*loc) << "'" << opName << "' op " << message;
  }

private:
  std::optional<Location> loc;
  StringRef opName;
};
} // namespace

static RankedTensorType getTensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

static LogicalResult setResult(SmallVectorImpl<Type> &results,
                               ArrayRef<int64_t> shape, Type elementType) {
  results.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

/// Inferred and declared result types agree when their shapes are compatible
/// (the declared one may be more static) and their element types match.
static bool isCompatibleRefinement(TypeRange inferred, TypeRange actual,
                                   bool integerAccumulation = false) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhs, rhs] : llvm::zip(inferred, actual)) {
    auto l = dyn_cast<RankedTensorType>(lhs);
    auto r = dyn_cast<RankedTensorType>(rhs);
    if (!l || !r || failed(verifyCompatibleShape(l.getShape(), r.getShape())))
      return false;
    Type le = l.getElementType(), re = r.getElementType();
    if (le == re)
      continue;
    // A quantized result may have other parameters than its operands (the
    // op requantizes).
    if (isa<quant::QuantizedType>(le) && isa<quant::QuantizedType>(re))
      continue;
    // Integer and quantized products may accumulate in i32 or requantize;
    // half-precision ones may accumulate and return f32.
    bool lowPrecision = isa<quant::QuantizedType, IntegerType>(le);
    bool half = isa<BFloat16Type, Float16Type>(le) && re.isF32();
    if (!integerAccumulation ||
        !(half || (lowPrecision && (isa<quant::QuantizedType>(re) ||
                                    re.isSignlessInteger(32)))))
      return false;
  }
  return true;
}

#define INFER_REFINEMENT_COMPATIBLE(OP, INTEGER_ACCUMULATION)                  \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return isCompatibleRefinement(l, r, INTEGER_ACCUMULATION);                 \
  }
INFER_REFINEMENT_COMPATIBLE(Conv2DOp, true)
INFER_REFINEMENT_COMPATIBLE(MatMulOp, true)
INFER_REFINEMENT_COMPATIBLE(GemmOp, true)
INFER_REFINEMENT_COMPATIBLE(AddOp, false)
INFER_REFINEMENT_COMPATIBLE(SubOp, false)
INFER_REFINEMENT_COMPATIBLE(MulOp, false)
INFER_REFINEMENT_COMPATIBLE(DivOp, false)
INFER_REFINEMENT_COMPATIBLE(PowOp, false)
INFER_REFINEMENT_COMPATIBLE(MaxOp, false)
INFER_REFINEMENT_COMPATIBLE(MinOp, false)
INFER_REFINEMENT_COMPATIBLE(BatchNormOp, false)
INFER_REFINEMENT_COMPATIBLE(LayerNormOp, false)
INFER_REFINEMENT_COMPATIBLE(MaxPoolOp, false)
INFER_REFINEMENT_COMPATIBLE(AvgPoolOp, false)
INFER_REFINEMENT_COMPATIBLE(GlobalAvgPoolOp, false)
INFER_REFINEMENT_COMPATIBLE(ReduceSumOp, false)
INFER_REFINEMENT_COMPATIBLE(ReduceMeanOp, false)
INFER_REFINEMENT_COMPATIBLE(ReduceMaxOp, false)
INFER_REFINEMENT_COMPATIBLE(ReshapeOp, false)
INFER_REFINEMENT_COMPATIBLE(FlattenOp, false)
INFER_REFINEMENT_COMPATIBLE(TransposeOp, false)
INFER_REFINEMENT_COMPATIBLE(ConcatOp, false)
INFER_REFINEMENT_COMPATIBLE(SliceOp, false)
INFER_REFINEMENT_COMPATIBLE(PadOp, false)
INFER_REFINEMENT_COMPATIBLE(GatherOp, false)
INFER_REFINEMENT_COMPATIBLE(SqueezeOp, false)
INFER_REFINEMENT_COMPATIBLE(UnsqueezeOp, false)
INFER_REFINEMENT_COMPATIBLE(ExpandOp, false)
INFER_REFINEMENT_COMPATIBLE(AndOp, false)
INFER_REFINEMENT_COMPATIBLE(OrOp, false)
INFER_REFINEMENT_COMPATIBLE(XorOp, false)
INFER_REFINEMENT_COMPATIBLE(ModOp, false)
INFER_REFINEMENT_COMPATIBLE(BitShiftOp, false)
INFER_REFINEMENT_COMPATIBLE(EqualOp, false)
INFER_REFINEMENT_COMPATIBLE(GreaterOp, false)
INFER_REFINEMENT_COMPATIBLE(GreaterEqualOp, false)
INFER_REFINEMENT_COMPATIBLE(LessOp, false)
INFER_REFINEMENT_COMPATIBLE(LessEqualOp, false)
INFER_REFINEMENT_COMPATIBLE(WhereOp, false)
INFER_REFINEMENT_COMPATIBLE(ReduceMinOp, false)
INFER_REFINEMENT_COMPATIBLE(ReduceProdOp, false)
INFER_REFINEMENT_COMPATIBLE(ArgMaxOp, false)
INFER_REFINEMENT_COMPATIBLE(ArgMinOp, false)
INFER_REFINEMENT_COMPATIBLE(GatherElementsOp, false)
INFER_REFINEMENT_COMPATIBLE(GatherNDOp, false)
INFER_REFINEMENT_COMPATIBLE(ConvTransposeOp, false)
INFER_REFINEMENT_COMPATIBLE(ShapeOfOp, false)
#undef INFER_REFINEMENT_COMPATIBLE

/// Checks that `values` has `size` entries.
static LogicalResult checkSize(ArrayRef<int64_t> values, size_t size,
                               StringRef name, ShapeErrorFn fail) {
  if (values.size() == size)
    return success();
  fail(name + " must have " + Twine(size) + " entries, got " +
       Twine(values.size()));
  return failure();
}

/// Normalizes a list of axes against `rank` and checks they are unique.
static FailureOr<SmallVector<int64_t>>
normalizeAxes(ArrayRef<int64_t> axes, int64_t rank, ShapeErrorFn fail) {
  SmallVector<int64_t> result;
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = normalizeAxis(axis, rank, fail);
    if (failed(normalized))
      return failure();
    if (!seen.insert(*normalized).second) {
      fail("axis " + Twine(axis) + " appears more than once");
      return failure();
    }
    result.push_back(*normalized);
  }
  return result;
}

/// Product of dimensions, dynamic if any is.
static int64_t product(ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim))
      return ShapedType::kDynamic;
    result *= dim;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  // ODS checks that the attribute is an ElementsAttr; its type may still be
  // a vector.
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type) {
    ShapeDiagnostic(loc, getOperationName())("value must be a ranked tensor");
    return failure();
  }
  results.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  RankedTensorType weightType = getTensorType(adaptor.getWeight());
  bool nhwc = adaptor.getLayout() == Layout::NHWC;
  if (inputType.getRank() != 4 || weightType.getRank() != 4) {
    fail(Twine("expects a 4-D input (") +
         (nhwc ? "N x H x W x C" : "N x C x H x W") +
         ") and a 4-D weight (F x C/group x KH x KW)");
    return failure();
  }
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  if (failed(checkSize(strides, 2, "strides", fail)) ||
      failed(checkSize(pads, 4, "pads", fail)) ||
      failed(checkSize(dilations, 2, "dilations", fail)))
    return failure();
  int64_t group = adaptor.getGroup();
  if (group <= 0) {
    fail("group must be positive, got " + Twine(group));
    return failure();
  }
  // Input dimensions in NCHW order, whatever the layout.
  ArrayRef<int64_t> w = weightType.getShape();
  SmallVector<int64_t> in(inputType.getShape());
  if (nhwc)
    in = {in[0], in[3], in[1], in[2]};
  if (!ShapedType::isDynamic(in[1]) && !ShapedType::isDynamic(w[1]) &&
      in[1] != w[1] * group) {
    fail("input channels (" + Twine(in[1]) + ") must equal weight channels (" +
         Twine(w[1]) + ") times group (" + Twine(group) + ")");
    return failure();
  }
  if (!ShapedType::isDynamic(w[0]) && w[0] % group != 0) {
    fail("output channels (" + Twine(w[0]) + ") must be divisible by group (" +
         Twine(group) + ")");
    return failure();
  }
  if (Value bias = adaptor.getBias()) {
    RankedTensorType biasType = getTensorType(bias);
    if (biasType.getRank() != 1 ||
        !dimsCompatible(biasType.getDimSize(0), w[0])) {
      fail("bias must be 1-D with one element per output channel");
      return failure();
    }
  }
  FailureOr<int64_t> h = windowOutputSize(in[2], w[2], strides[0], pads[0],
                                          pads[2], dilations[0], false, fail);
  if (failed(h))
    return failure();
  FailureOr<int64_t> wd = windowOutputSize(in[3], w[3], strides[1], pads[1],
                                           pads[3], dilations[1], false, fail);
  if (failed(wd))
    return failure();
  if (nhwc)
    return setResult(results, {in[0], *h, *wd, w[0]},
                     inputType.getElementType());
  return setResult(results, {in[0], w[0], *h, *wd}, inputType.getElementType());
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType lhsType = getTensorType(adaptor.getLhs());
  FailureOr<SmallVector<int64_t>> shape = matmulShape(
      lhsType.getShape(), getTensorType(adaptor.getRhs()).getShape(), fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, lhsType.getElementType());
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType aType = getTensorType(adaptor.getA());
  RankedTensorType bType = getTensorType(adaptor.getB());
  if (aType.getRank() != 2 || bType.getRank() != 2) {
    fail("expects 2-D operands a and b");
    return failure();
  }
  bool transA = adaptor.getTransA(), transB = adaptor.getTransB();
  int64_t m = aType.getDimSize(transA ? 1 : 0);
  int64_t ka = aType.getDimSize(transA ? 0 : 1);
  int64_t kb = bType.getDimSize(transB ? 1 : 0);
  int64_t n = bType.getDimSize(transB ? 0 : 1);
  if (!dimsCompatible(ka, kb)) {
    fail("contraction dimensions differ: " + Twine(ka) + " vs " + Twine(kb));
    return failure();
  }
  SmallVector<int64_t> shape = {m, n};
  if (Value c = adaptor.getC()) {
    FailureOr<SmallVector<int64_t>> broadcast =
        broadcastShapes(getTensorType(c).getShape(), shape, fail);
    if (failed(broadcast))
      return failure();
    if (broadcast->size() != 2 || !dimsCompatible((*broadcast)[0], m) ||
        !dimsCompatible((*broadcast)[1], n)) {
      fail("c must broadcast to the M x N result");
      return failure();
    }
  }
  return setResult(results, shape, aType.getElementType());
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    typename OpTy::Adaptor adaptor,
                                    SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, OpTy::getOperationName());
  RankedTensorType lhsType = getTensorType(adaptor.getLhs());
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(
      lhsType.getShape(), getTensorType(adaptor.getRhs()).getShape(), fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, lhsType.getElementType());
}

#define INFER_BROADCAST_OP(OP)                                                 \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferBroadcast<OP>(loc, adaptor, results);                          \
  }
INFER_BROADCAST_OP(AddOp)
INFER_BROADCAST_OP(SubOp)
INFER_BROADCAST_OP(MulOp)
INFER_BROADCAST_OP(DivOp)
INFER_BROADCAST_OP(PowOp)
INFER_BROADCAST_OP(MaxOp)
INFER_BROADCAST_OP(MinOp)
INFER_BROADCAST_OP(AndOp)
INFER_BROADCAST_OP(OrOp)
INFER_BROADCAST_OP(XorOp)
INFER_BROADCAST_OP(ModOp)
INFER_BROADCAST_OP(BitShiftOp)
#undef INFER_BROADCAST_OP

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "left" && getDirection() != "right")
    return emitOpError("direction must be left or right, got '")
           << getDirection() << "'";
  return success();
}

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getType().getElementType()) && !getFmod())
    return emitOpError("a float remainder needs fmod = true (the sign of the "
                       "dividend, as ONNX requires)");
  return success();
}

//===----------------------------------------------------------------------===//
// Comparisons and selection
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferCompare(MLIRContext *ctx, std::optional<Location> loc,
                                  typename OpTy::Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, OpTy::getOperationName());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(getTensorType(adaptor.getLhs()).getShape(),
                      getTensorType(adaptor.getRhs()).getShape(), fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, IntegerType::get(ctx, 1));
}

#define INFER_COMPARE_OP(OP)                                                   \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,          \
      SmallVectorImpl<Type> &results) {                                        \
    return inferCompare<OP>(ctx, loc, adaptor, results);                       \
  }
INFER_COMPARE_OP(EqualOp)
INFER_COMPARE_OP(GreaterOp)
INFER_COMPARE_OP(GreaterEqualOp)
INFER_COMPARE_OP(LessOp)
INFER_COMPARE_OP(LessEqualOp)
#undef INFER_COMPARE_OP

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType xType = getTensorType(adaptor.getX());
  RankedTensorType yType = getTensorType(adaptor.getY());
  if (xType.getElementType() != yType.getElementType()) {
    fail("x and y must have the same element type");
    return failure();
  }
  FailureOr<SmallVector<int64_t>> xy =
      broadcastShapes(xType.getShape(), yType.getShape(), fail);
  if (failed(xy))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(
      getTensorType(adaptor.getCondition()).getShape(), *xy, fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, xType.getElementType());
}

//===----------------------------------------------------------------------===//
// Activations with attributes
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  // A dense_resource must carry its data, of the size its type needs:
  // later passes read the blob without checking (a handle with no blob
  // aborts in upstream folders).
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return success();
  DenseResourceElementsHandle handle = resource.getRawHandle();
  const AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return emitOpError("dense_resource '")
           << handle.getKey() << "' has no data (no blob of that name in "
           << "the file's dialect_resources)";
  auto type = cast<ShapedType>(resource.getType());
  Type element = type.getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    element = quantized.getStorageType();
  if (!element.isIntOrFloat())
    return success();
  // One byte per bool; whole bytes per element otherwise.
  int64_t bytes = element.isInteger(1)
                      ? 1
                      : llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
  int64_t expected = bytes * type.getNumElements();
  if (static_cast<int64_t>(blob->getData().size()) != expected)
    return emitOpError("dense_resource '")
           << handle.getKey() << "' holds " << blob->getData().size()
           << " bytes; " << type << " needs " << expected;
  return success();
}

LogicalResult ClipOp::verify() {
  std::optional<APFloat> min = getMin(), max = getMax();
  if (min && max && max->compare(*min) == APFloat::cmpLessThan)
    return emitOpError("min (")
           << min->convertToDouble() << ") must not exceed max ("
           << max->convertToDouble() << ")";
  return success();
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << getApproximate() << "\"";
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  if (inputType.getRank() < 2) {
    fail("input must have rank 2 or more (N x C x ...)");
    return failure();
  }
  int64_t channels = inputType.getDimSize(
      adaptor.getLayout() == Layout::NHWC ? inputType.getRank() - 1 : 1);
  for (Value param : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                      adaptor.getVariance()}) {
    RankedTensorType type = getTensorType(param);
    if (type.getRank() != 1 || !dimsCompatible(type.getDimSize(0), channels)) {
      fail("scale, bias, mean and variance must be 1-D with one element per "
           "channel");
      return failure();
    }
  }
  results.push_back(inputType);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  FailureOr<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), inputType.getRank(), fail);
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> normalized = inputType.getShape().drop_front(*axis);
  for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
    if (!param)
      continue;
    ArrayRef<int64_t> shape = getTensorType(param).getShape();
    bool ok = shape.size() <= normalized.size();
    for (size_t i = 0; ok && i < shape.size(); ++i) {
      int64_t dim = shape[shape.size() - 1 - i];
      int64_t target = normalized[normalized.size() - 1 - i];
      ok = dim == 1 || dimsCompatible(dim, target);
    }
    if (!ok) {
      fail(
          "scale and bias must broadcast to the normalized shape (dimensions " +
          Twine(*axis) + " and after)");
      return failure();
    }
  }
  results.push_back(inputType);
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return normalizeAxis(getAxis(), getType().getRank(),
                       [&](const Twine &msg) { (void)emitOpError(msg); });
}

LogicalResult LogSoftmaxOp::verify() {
  return normalizeAxis(getAxis(), getType().getRank(),
                       [&](const Twine &msg) { (void)emitOpError(msg); });
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

static LogicalResult
inferPool2D(ShapeErrorFn fail, RankedTensorType inputType,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations, bool ceilMode,
            Layout layout, SmallVectorImpl<Type> &results) {
  bool nhwc = layout == Layout::NHWC;
  if (inputType.getRank() != 4) {
    fail(Twine("expects a 4-D input (") +
         (nhwc ? "N x H x W x C" : "N x C x H x W") + ")");
    return failure();
  }
  if (failed(checkSize(kernel, 2, "kernel_shape", fail)) ||
      failed(checkSize(strides, 2, "strides", fail)) ||
      failed(checkSize(pads, 4, "pads", fail)) ||
      failed(checkSize(dilations, 2, "dilations", fail)))
    return failure();
  ArrayRef<int64_t> in = inputType.getShape();
  int64_t spatial = nhwc ? 1 : 2;
  SmallVector<int64_t> shape = {in[0]};
  if (!nhwc)
    shape.push_back(in[1]);
  for (int i = 0; i < 2; ++i) {
    FailureOr<int64_t> size =
        windowOutputSize(in[spatial + i], kernel[i], strides[i], pads[i],
                         pads[2 + i], dilations[i], ceilMode, fail);
    if (failed(size))
      return failure();
    shape.push_back(*size);
  }
  if (nhwc)
    shape.push_back(in[3]);
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  return inferPool2D(fail, getTensorType(adaptor.getInput()),
                     adaptor.getKernelShape(), adaptor.getStrides(),
                     adaptor.getPads(), adaptor.getDilations(),
                     adaptor.getCeilMode(), adaptor.getLayout(), results);
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  return inferPool2D(fail, getTensorType(adaptor.getInput()),
                     adaptor.getKernelShape(), adaptor.getStrides(),
                     adaptor.getPads(), {1, 1}, adaptor.getCeilMode(),
                     adaptor.getLayout(), results);
}

LogicalResult
GlobalAvgPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  if (adaptor.getLayout() == Layout::NHWC) {
    if (inputType.getRank() != 4) {
      fail("expects a 4-D input (N x H x W x C) in NHWC layout");
      return failure();
    }
    ArrayRef<int64_t> in = inputType.getShape();
    return setResult(results, {in[0], 1, 1, in[3]}, inputType.getElementType());
  }
  if (inputType.getRank() < 3) {
    fail("expects an input of rank 3 or more (N x C x D1 x ...)");
    return failure();
  }
  SmallVector<int64_t> shape(inputType.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  return setResult(results, shape, inputType.getElementType());
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferReduce(std::optional<Location> loc,
                                 typename OpTy::Adaptor adaptor,
                                 SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, OpTy::getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  int64_t rank = inputType.getRank();
  FailureOr<SmallVector<int64_t>> axes =
      normalizeAxes(adaptor.getAxes(), rank, fail);
  if (failed(axes))
    return failure();
  SmallVector<bool> reduced(rank, axes->empty());
  for (int64_t axis : *axes)
    reduced[axis] = true;
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      shape.push_back(inputType.getDimSize(i));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  return setResult(results, shape, inputType.getElementType());
}

#define INFER_REDUCE_OP(OP)                                                    \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferReduce<OP>(loc, adaptor, results);                             \
  }
INFER_REDUCE_OP(ReduceSumOp)
INFER_REDUCE_OP(ReduceMeanOp)
INFER_REDUCE_OP(ReduceMaxOp)
INFER_REDUCE_OP(ReduceMinOp)
INFER_REDUCE_OP(ReduceProdOp)
#undef INFER_REDUCE_OP

template <typename OpTy>
static LogicalResult
inferArgReduce(MLIRContext *ctx, std::optional<Location> loc,
               typename OpTy::Adaptor adaptor, SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, OpTy::getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  FailureOr<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), inputType.getRank(), fail);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(inputType.getShape())) {
    if (static_cast<int64_t>(i) != *axis)
      shape.push_back(dim);
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  return setResult(results, shape, IntegerType::get(ctx, 64));
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArgReduce<ArgMaxOp>(ctx, loc, adaptor, results);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArgReduce<ArgMinOp>(ctx, loc, adaptor, results);
}

LogicalResult CumSumOp::verify() {
  return normalizeAxis(getAxis(), getType().getRank(),
                       [&](const Twine &msg) { (void)emitOpError(msg); });
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  FailureOr<SmallVector<int64_t>> shape =
      reshapeShape(inputType.getShape(), adaptor.getShape(), fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, inputType.getElementType());
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  int64_t rank = inputType.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < -rank || axis > rank) {
    fail("axis " + Twine(axis) + " is out of range [" + Twine(-rank) + ", " +
         Twine(rank) + "]");
    return failure();
  }
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> in = inputType.getShape();
  return setResult(results,
                   {product(in.take_front(axis)), product(in.drop_front(axis))},
                   inputType.getElementType());
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = inputType.getRank();
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= rank || seen[p]) {
      valid = false;
      break;
    }
    seen[p] = true;
  }
  if (!valid) {
    fail("perm must be a permutation of [0, " + Twine(rank) + ")");
    return failure();
  }
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inputType.getDimSize(p));
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  // The SameOperandsAndResultElementType trait reports an empty list first.
  if (adaptor.getInputs().empty())
    return failure();
  RankedTensorType firstType = getTensorType(adaptor.getInputs().front());
  int64_t rank = firstType.getRank();
  FailureOr<int64_t> axis = normalizeAxis(adaptor.getAxis(), rank, fail);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(firstType.getShape());
  shape[*axis] = 0;
  for (Value input : adaptor.getInputs()) {
    RankedTensorType type = getTensorType(input);
    if (type.getRank() != rank) {
      fail("inputs must all have rank " + Twine(rank));
      return failure();
    }
    for (int64_t i = 0; i < rank; ++i) {
      int64_t dim = type.getDimSize(i);
      if (i == *axis) {
        shape[i] = ShapedType::isDynamic(dim) || ShapedType::isDynamic(shape[i])
                       ? ShapedType::kDynamic
                       : shape[i] + dim;
        continue;
      }
      if (!dimsCompatible(shape[i], dim)) {
        fail("inputs differ in dimension " + Twine(i) +
             ", which is not the concatenation axis");
        return failure();
      }
      if (ShapedType::isDynamic(shape[i]))
        shape[i] = dim;
    }
  }
  return setResult(results, shape, firstType.getElementType());
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  int64_t rank = inputType.getRank();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds();
  size_t count = starts.size();
  if (failed(checkSize(ends, count, "ends", fail)))
    return failure();
  SmallVector<int64_t> defaultAxes =
      llvm::to_vector(llvm::seq<int64_t>(0, count));
  ArrayRef<int64_t> axes = adaptor.getAxes() ? *adaptor.getAxes() : defaultAxes;
  SmallVector<int64_t> defaultSteps(count, 1);
  ArrayRef<int64_t> steps =
      adaptor.getSteps() ? *adaptor.getSteps() : defaultSteps;
  if (failed(checkSize(axes, count, "axes", fail)) ||
      failed(checkSize(steps, count, "steps", fail)))
    return failure();
  FailureOr<SmallVector<int64_t>> normalized = normalizeAxes(axes, rank, fail);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape());
  for (size_t i = 0; i < count; ++i) {
    if (steps[i] == 0) {
      fail("steps must be non-zero");
      return failure();
    }
    int64_t axis = (*normalized)[i];
    if (!ShapedType::isDynamic(shape[axis]))
      shape[axis] =
          normalizeSlice(shape[axis], starts[i], ends[i], steps[i]).size;
  }
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  int64_t rank = inputType.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (failed(checkSize(pads, 2 * rank, "pads", fail)))
    return failure();
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; })) {
    fail("pads must be non-negative");
    return failure();
  }
  StringRef mode = adaptor.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge") {
    fail("mode must be \"constant\", \"reflect\" or \"edge\", got \"" + mode +
         "\"");
    return failure();
  }
  SmallVector<int64_t> shape(inputType.getShape());
  for (int64_t i = 0; i < rank; ++i) {
    if (ShapedType::isDynamic(shape[i]))
      continue;
    if (mode == "reflect" &&
        (pads[i] >= shape[i] || pads[rank + i] >= shape[i])) {
      fail("reflect padding of dimension " + Twine(i) +
           " must be smaller than its size " + Twine(shape[i]));
      return failure();
    }
    shape[i] += pads[i] + pads[rank + i];
  }
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType dataType = getTensorType(adaptor.getData());
  FailureOr<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), dataType.getRank(), fail);
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> data = dataType.getShape();
  SmallVector<int64_t> shape(data.take_front(*axis));
  llvm::append_range(shape, getTensorType(adaptor.getIndices()).getShape());
  llvm::append_range(shape, data.drop_front(*axis + 1));
  return setResult(results, shape, dataType.getElementType());
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  ArrayRef<int64_t> in = inputType.getShape();
  FailureOr<SmallVector<int64_t>> axes =
      normalizeAxes(adaptor.getAxes(), inputType.getRank(), fail);
  if (failed(axes))
    return failure();
  SmallVector<bool> removed(in.size(), false);
  if (axes->empty()) {
    for (auto [i, dim] : llvm::enumerate(in))
      removed[i] = dim == 1;
  }
  for (int64_t axis : *axes) {
    if (!ShapedType::isDynamic(in[axis]) && in[axis] != 1) {
      fail("cannot squeeze dimension " + Twine(axis) + " of size " +
           Twine(in[axis]));
      return failure();
    }
    removed[axis] = true;
  }
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(in))
    if (!removed[i])
      shape.push_back(dim);
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  int64_t rank = inputType.getRank() + adaptor.getAxes().size();
  if (adaptor.getAxes().empty()) {
    fail("axes must not be empty");
    return failure();
  }
  FailureOr<SmallVector<int64_t>> axes =
      normalizeAxes(adaptor.getAxes(), rank, fail);
  if (failed(axes))
    return failure();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes)
    inserted[axis] = true;
  SmallVector<int64_t> shape;
  auto in = inputType.getShape().begin();
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : *in++);
  return setResult(results, shape, inputType.getElementType());
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  if (llvm::any_of(adaptor.getShape(), [](int64_t d) { return d < 0; })) {
    fail("shape entries must be non-negative");
    return failure();
  }
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(inputType.getShape(), adaptor.getShape(), fail);
  if (failed(shape))
    return failure();
  return setResult(results, *shape, inputType.getElementType());
}

static LogicalResult verifySameShape(Operation *op, RankedTensorType a,
                                     RankedTensorType b) {
  if (succeeded(verifyCompatibleShape(a.getShape(), b.getShape())))
    return success();
  return op->emitOpError("input and result shapes must match");
}

LogicalResult CastOp::verify() {
  return verifySameShape(*this, getInput().getType(), getType());
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// Checks a quantized tensor type against its float counterpart.
static LogicalResult verifyQuantPair(Operation *op, RankedTensorType floatType,
                                     RankedTensorType quantType) {
  if (failed(verifySameShape(op, floatType, quantType)))
    return failure();
  auto qtype = cast<quant::QuantizedType>(quantType.getElementType());
  if (qtype.getExpressedType() != floatType.getElementType())
    return op->emitOpError("expressed type ")
           << qtype.getExpressedType() << " of the quantized type must be "
           << floatType.getElementType();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype)) {
    int64_t axis = perAxis.getQuantizedDimension();
    if (axis >= quantType.getRank())
      return op->emitOpError("quantized dimension ")
             << axis << " is out of range for rank " << quantType.getRank();
    int64_t dim = quantType.getDimSize(axis);
    int64_t scales = perAxis.getScales().size();
    if (!ShapedType::isDynamic(dim) && dim != scales)
      return op->emitOpError("per-axis quantization has ")
             << scales << " scales for dimension " << axis << " of size "
             << dim;
  } else if (!isa<quant::UniformQuantizedType>(qtype)) {
    return op->emitOpError("supports per-tensor and per-axis !quant.uniform "
                           "types only");
  }
  return success();
}

LogicalResult AddOp::verify() {
  Type lhs = getLhs().getType().getElementType();
  Type rhs = getRhs().getType().getElementType();
  Type out = getType().getElementType();
  if (lhs == rhs && rhs == out)
    return success();
  auto perTensor = [](Type t) { return isa<quant::UniformQuantizedType>(t); };
  if (perTensor(lhs) && perTensor(rhs) && perTensor(out))
    return success();
  return emitOpError("requires the same element type for all operands and "
                     "results, or per-tensor quantized ones (of any scales)");
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantPair(*this, getInput().getType(), getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantPair(*this, getType(), getInput().getType());
}

#define GET_OP_CLASSES
#include "infer/Dialect/Infer/IR/InferOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Indexed reads and writes
//===----------------------------------------------------------------------===//

LogicalResult
GatherElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType dataType = getTensorType(adaptor.getData());
  RankedTensorType indicesType = getTensorType(adaptor.getIndices());
  if (dataType.getRank() != indicesType.getRank() || dataType.getRank() == 0) {
    fail("data and indices must have the same rank (at least 1), got " +
         Twine(dataType.getRank()) + " and " + Twine(indicesType.getRank()));
    return failure();
  }
  if (failed(normalizeAxis(adaptor.getAxis(), dataType.getRank(), fail)))
    return failure();
  return setResult(results, indicesType.getShape(), dataType.getElementType());
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType dataType = getTensorType(adaptor.getData());
  RankedTensorType indicesType = getTensorType(adaptor.getIndices());
  int64_t batch = adaptor.getBatchDims();
  int64_t indexRank = indicesType.getRank();
  if (indexRank < 1 || batch < 0 || batch >= indexRank ||
      batch >= dataType.getRank()) {
    fail("batch_dims (" + Twine(batch) +
         ") must be non-negative and less than the ranks of data and indices");
    return failure();
  }
  int64_t depth = indicesType.getDimSize(indexRank - 1);
  if (ShapedType::isDynamic(depth) || depth < 1 ||
      batch + depth > dataType.getRank()) {
    fail("the last dimension of indices must be static, between 1 and the "
         "rank of data less batch_dims");
    return failure();
  }
  for (int64_t i = 0; i < batch; ++i) {
    if (!dimsCompatible(dataType.getDimSize(i), indicesType.getDimSize(i))) {
      fail("batch dimension " + Twine(i) + " differs between data and indices");
      return failure();
    }
  }
  SmallVector<int64_t> shape(indicesType.getShape().drop_back());
  llvm::append_range(shape, dataType.getShape().drop_front(batch + depth));
  return setResult(results, shape, dataType.getElementType());
}

static LogicalResult verifyReduction(Operation *op, StringRef reduction) {
  if (llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return success();
  return op->emitOpError("reduction must be none, add, mul, max or min, got '")
         << reduction << "'";
}

LogicalResult ScatterElementsOp::verify() {
  int64_t rank = getData().getType().getRank();
  if (getIndices().getType().getRank() != rank || rank == 0)
    return emitOpError("data, indices and updates must have the same rank "
                       "(at least 1)");
  if (getUpdates().getType().getElementType() !=
      getData().getType().getElementType())
    return emitOpError("updates must have the element type of data");
  if (failed(normalizeAxis(getAxis(), rank,
                           [&](const Twine &msg) { (void)emitOpError(msg); })))
    return failure();
  return verifyReduction(*this, getReduction());
}

LogicalResult ScatterNDOp::verify() {
  RankedTensorType dataType = getData().getType();
  RankedTensorType indicesType = getIndices().getType();
  RankedTensorType updatesType = getUpdates().getType();
  if (updatesType.getElementType() != dataType.getElementType())
    return emitOpError("updates must have the element type of data");
  int64_t indexRank = indicesType.getRank();
  int64_t depth = indexRank ? indicesType.getDimSize(indexRank - 1) : 0;
  if (indexRank < 1 || ShapedType::isDynamic(depth) || depth < 1 ||
      depth > dataType.getRank())
    return emitOpError("the last dimension of indices must be static, between "
                       "1 and the rank of data");
  SmallVector<int64_t> expected(indicesType.getShape().drop_back());
  llvm::append_range(expected, dataType.getShape().drop_front(depth));
  if (failed(verifyCompatibleShape(expected, updatesType.getShape())))
    return emitOpError("updates must have shape ")
           << formatShape(expected) << ", got "
           << formatShape(updatesType.getShape());
  return verifyReduction(*this, getReduction());
}

LogicalResult TriluOp::verify() {
  if (getType().getRank() < 2)
    return emitOpError("expects a tensor of rank 2 or more");
  return success();
}

//===----------------------------------------------------------------------===//
// Resampling and transposed convolution
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType outputType = getType();
  int64_t rank = inputType.getRank();
  if (outputType.getRank() != rank ||
      outputType.getElementType() != inputType.getElementType())
    return emitOpError("the result must have the input's rank and element "
                       "type");
  if (static_cast<int64_t>(getScales().size()) != rank)
    return emitOpError("scales must have one entry per dimension (")
           << rank << "), got " << getScales().size();
  for (float scale : getScales())
    if (!(scale > 0) || !std::isfinite(scale))
      return emitOpError("scales must be positive and finite, got ") << scale;
  if (!llvm::is_contained({"nearest", "linear", "cubic"}, getMode()))
    return emitOpError("mode must be nearest, linear or cubic, got '")
           << getMode() << "'";
  StringRef coordinates = getCoordinateTransformationMode();
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                           "pytorch_half_pixel", "align_corners", "asymmetric",
                           "tf_crop_and_resize", "tf_half_pixel_for_nn"},
                          coordinates))
    return emitOpError("unknown coordinate_transformation_mode '")
           << coordinates << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          getNearestMode()))
    return emitOpError("unknown nearest_mode '") << getNearestMode() << "'";
  if (coordinates == "tf_crop_and_resize" &&
      static_cast<int64_t>(getRoi().size()) != 2 * rank)
    return emitOpError("tf_crop_and_resize needs a roi of 2 x rank (")
           << 2 * rank << ") entries, got " << getRoi().size();
  for (int64_t i = 0; i < rank; ++i) {
    int64_t in = inputType.getDimSize(i), out = outputType.getDimSize(i);
    if (getScales()[i] == 1.0f && !ShapedType::isDynamic(in) &&
        !ShapedType::isDynamic(out) && in != out)
      return emitOpError("dimension ")
             << i << " has scale 1 but " << in << " -> " << out << " elements";
  }
  return success();
}

LogicalResult
ConvTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  ShapeDiagnostic fail(loc, getOperationName());
  RankedTensorType inputType = getTensorType(adaptor.getInput());
  RankedTensorType weightType = getTensorType(adaptor.getWeight());
  if (inputType.getRank() != 4 || weightType.getRank() != 4) {
    fail("expects a 4-D input (N x C x H x W) and a 4-D weight "
         "(C x F/group x KH x KW)");
    return failure();
  }
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  if (failed(checkSize(strides, 2, "strides", fail)) ||
      failed(checkSize(pads, 4, "pads", fail)) ||
      failed(checkSize(dilations, 2, "dilations", fail)) ||
      failed(checkSize(outputPadding, 2, "output_padding", fail)))
    return failure();
  int64_t group = adaptor.getGroup();
  if (group <= 0) {
    fail("group must be positive, got " + Twine(group));
    return failure();
  }
  bool nhwc = adaptor.getLayout() == Layout::NHWC;
  // Input dimensions in NCHW order, whatever the layout.
  SmallVector<int64_t> in(inputType.getShape());
  if (nhwc)
    in = {in[0], in[3], in[1], in[2]};
  ArrayRef<int64_t> w = weightType.getShape();
  if (!dimsCompatible(in[1], w[0])) {
    fail("input channels (" + Twine(in[1]) +
         ") must equal the weight's first dimension (" + Twine(w[0]) + ")");
    return failure();
  }
  if (!ShapedType::isDynamic(w[0]) && w[0] % group != 0) {
    fail("input channels (" + Twine(w[0]) + ") must be divisible by group (" +
         Twine(group) + ")");
    return failure();
  }
  int64_t channels =
      ShapedType::isDynamic(w[1]) ? ShapedType::kDynamic : w[1] * group;
  if (Value bias = adaptor.getBias()) {
    RankedTensorType biasType = getTensorType(bias);
    if (biasType.getRank() != 1 ||
        !dimsCompatible(biasType.getDimSize(0), channels)) {
      fail("bias must be 1-D with one element per output channel");
      return failure();
    }
  }
  SmallVector<int64_t> shape = {in[0], channels};
  for (int i = 0; i < 2; ++i) {
    if (strides[i] < 1 || dilations[i] < 1 || outputPadding[i] < 0 ||
        pads[i] < 0 || pads[i + 2] < 0) {
      fail("strides and dilations must be positive, pads and output_padding "
           "non-negative");
      return failure();
    }
    if (outputPadding[i] >= std::max(strides[i], dilations[i])) {
      fail("output_padding must be smaller than the stride or the dilation");
      return failure();
    }
    int64_t size = in[2 + i], kernel = w[2 + i];
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out = strides[i] * (size - 1) + outputPadding[i] +
                  (kernel - 1) * dilations[i] + 1 - pads[i] - pads[i + 2];
    if (out < 1) {
      fail("the pads leave no output along spatial dimension " + Twine(i));
      return failure();
    }
    shape.push_back(out);
  }
  if (nhwc)
    shape = {shape[0], shape[2], shape[3], shape[1]};
  return setResult(results, shape, inputType.getElementType());
}

//===----------------------------------------------------------------------===//
// Shapes at run time
//===----------------------------------------------------------------------===//

std::pair<int64_t, int64_t>
mlir::infer::shapeOfRange(int64_t rank, int64_t start,
                          std::optional<int64_t> end) {
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t first = clamp(start);
  int64_t last = end ? clamp(*end) : rank;
  return {first, std::max(first, last)};
}

LogicalResult ShapeOfOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto [first, last] = shapeOfRange(getTensorType(adaptor.getInput()).getRank(),
                                    adaptor.getStart(), adaptor.getEnd());
  return setResult(results, {last - first}, IntegerType::get(ctx, 64));
}

LogicalResult DynamicReshapeOp::verify() {
  RankedTensorType shapeType = getShape().getType();
  if (shapeType.getRank() != 1 ||
      shapeType.getDimSize(0) != getType().getRank())
    return emitOpError("shape must be a 1-D tensor of ")
           << getType().getRank() << " elements (the result's rank), got "
           << shapeType;
  if (getInput().getType().getElementType() != getType().getElementType())
    return emitOpError("the result must have the input's element type");
  RankedTensorType in = getInput().getType(), out = getType();
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("input and result have different element counts (")
           << in.getNumElements() << " vs " << out.getNumElements() << ")";
  return success();
}
