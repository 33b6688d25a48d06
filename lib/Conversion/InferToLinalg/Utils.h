//===- Utils.h - helpers of the infer-to-linalg lowering --------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_LIB_CONVERSION_INFERTOLINALG_UTILS_H
#define INFER_LIB_CONVERSION_INFERTOLINALG_UTILS_H

#include "infer/Conversion/InferToLinalg/InferToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::infer {

/// Builds the scalar body of an elementwise op from the block arguments
/// (one per input, in order) and returns the value to yield.
using ScalarBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// The size of dimension `dim` of `value`: static as an attribute, dynamic as
/// a `tensor.dim`.
OpFoldResult getDimSize(OpBuilder &b, Location loc, Value value, int64_t dim);

/// `tensor.empty` of `type`, taking each dynamic size from `sizes`.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes);

/// Sizes of the numpy broadcast of `operands` to `resultType`: a dynamic
/// result dimension is the largest extent the operands have there (a dynamic
/// extent may be 1 at run time).
SmallVector<OpFoldResult> broadcastSizes(OpBuilder &b, Location loc,
                                         ValueRange operands,
                                         RankedTensorType resultType);

/// Indexing map reading `operandType` broadcast to a result of `resultRank`
/// dimensions (right-aligned, static size-1 dimensions read index 0).
AffineMap broadcastMap(RankedTensorType operandType,
                       RankedTensorType resultType);

/// An all-parallel `linalg.generic` that broadcasts `inputs` to `resultType`
/// (of sizes `sizes`) and computes each element with `body`. The generic's
/// indexing maps are pure (projected permutations, with constant 0 for static
/// size-1 dimensions): an operand whose dynamic dimension may be 1 at run
/// time is broadcast explicitly first, behind an scf.if on its extent.
/// With `dynamicMayBroadcast`, every dynamic operand dimension is treated as
/// possibly broadcasting (the caller knows of contributions not in `inputs`).
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ArrayRef<OpFoldResult> sizes, ValueRange inputs,
                       ScalarBuilder body, bool dynamicMayBroadcast = false);

/// The map from a rank-`rank` iteration space to the dimensions not in
/// `dropped`.
AffineMap dropDims(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> dropped);

/// A reduction over the `dropped` dimensions of `inputs[0]`'s iteration
/// space (the result drops them); `inputs` are read through `inputMaps`, the
/// accumulator starts at `initValue` and `combine(acc, args)` updates it.
Value reduceWith(
    OpBuilder &b, Location loc, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps, ArrayRef<int64_t> dropped, Value initValue,
    llvm::function_ref<Value(OpBuilder &, Location, Value, ValueRange)>
        combine);

/// The number of elements of `input` over `axes`, as a scalar of `type`.
Value countOf(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
              Type type);

/// An all-parallel `linalg.generic` of `type` over `like`'s sizes, reading
/// `inputs` through `maps` and computing each element with `body`.
Value mapWith(OpBuilder &b, Location loc, Value like, RankedTensorType type,
              ValueRange inputs, ArrayRef<AffineMap> maps, ScalarBuilder body);

/// A scalar constant of a float or integer type.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// `index` (any integer type) as an `index`, a negative value counting from
/// the back of a dimension of `size` (ONNX's gather and scatter indices).
Value normalizedIndex(OpBuilder &b, Location loc, Value index, Value size);

/// The neutral element for a max reduction: -inf or the smallest integer.
Value lowestValue(OpBuilder &b, Location loc, Type type);

/// The neutral element for a min reduction: +inf or the largest integer.
Value highestValue(OpBuilder &b, Location loc, Type type);

/// A tensor of `type`/`sizes` filled with `value`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<OpFoldResult> sizes, Value value);

/// Scalar arithmetic that picks the float or integer arith op.
Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createSub(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createDiv(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMin(OpBuilder &b, Location loc, Value lhs, Value rhs);

/// Reshapes `value` (any rank, row-major) to `resultType` of `sizes` with a
/// collapse to 1-D followed by an expand, which stays fusible and bufferizes
/// to a view.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                RankedTensorType resultType, ArrayRef<OpFoldResult> sizes);

/// The product of `sizes` as an index value or attribute.
OpFoldResult productOf(OpBuilder &b, Location loc,
                       ArrayRef<OpFoldResult> sizes);

/// Converts the result type of `op` with `converter`, as a ranked tensor.
RankedTensorType convertedResultType(const TypeConverter &converter,
                                     Operation *op, unsigned index = 0);

/// `tensor.pad` of `value` by static `low`/`high` amounts with `padValue`;
/// returns `value` itself when nothing is padded.
Value padConstant(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                  Value padValue);

/// Casts an integer or float scalar to `type` for accumulation (sign
/// extension for integers).
Value castForAccumulation(OpBuilder &b, Location loc, Value x, Type type);

// Pattern registration of each op family.
/// Extra trailing padding so that ceil-mode windows read only padding.
int64_t ceilModeExtra(int64_t size, int64_t out, int64_t kernel, int64_t stride,
                      int64_t dilation, int64_t padBegin, int64_t padEnd);

/// Whether an operand or result of `op` has a quantized element type.
bool hasQuantizedTypes(Operation *op);

/// Why `op`, which has quantized operands or results, has no int8 lowering
/// (nullopt when it has one, or is not quantized).
std::optional<std::string> getQuantizedLimitation(Operation *op);

void populateQuantizedPatterns(const TypeConverter &converter,
                               RewritePatternSet &patterns);

void populateIndexingPatterns(const TypeConverter &converter,
                              RewritePatternSet &patterns);
void populateResamplePatterns(const TypeConverter &converter,
                              RewritePatternSet &patterns);
void populateElementwisePatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateComputePatterns(const TypeConverter &converter,
                             RewritePatternSet &patterns);
void populateNormalizationPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateShapePatterns(const TypeConverter &converter,
                           RewritePatternSet &patterns);

} // namespace mlir::infer

#endif // INFER_LIB_CONVERSION_INFERTOLINALG_UTILS_H
