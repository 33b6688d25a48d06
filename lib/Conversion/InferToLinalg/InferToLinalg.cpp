//===- InferToLinalg.cpp - lower infer to linalg --------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The infer-convert-to-linalg pass: one type converter (quantized tensors to
// their storage type), one partial conversion in which every infer op is
// illegal. Needs verified infer IR; guarantees that no infer op remains or the
// pass fails with a located error.
//
//===----------------------------------------------------------------------===//

#include "infer/Conversion/InferToLinalg/InferToLinalg.h"
#include "infer/Conversion/Passes.h"

#include "Utils.h"

#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"

#define DEBUG_TYPE "infer-convert-to-linalg"

namespace mlir::infer {
#define GEN_PASS_DEF_CONVERTINFERTOLINALGPASS
#include "infer/Conversion/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

InferTypeConverter::InferTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType()))
      return type.clone(qtype.getStorageType());
    // Unsigned integers are stored signless; the patterns that depend on the
    // sign read it from the op's own (unconverted) types.
    if (auto integer = dyn_cast<IntegerType>(type.getElementType());
        integer && integer.isUnsigned())
      return type.clone(
          IntegerType::get(type.getContext(), integer.getWidth()));
    return type;
  });
}

void mlir::infer::populateInferToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  populateQuantizedPatterns(typeConverter, patterns);
  populateElementwisePatterns(typeConverter, patterns);
  populateComputePatterns(typeConverter, patterns);
  populateNormalizationPatterns(typeConverter, patterns);
  populateShapePatterns(typeConverter, patterns);
  populateIndexingPatterns(typeConverter, patterns);
  populateResamplePatterns(typeConverter, patterns);
}

static bool isQuantized(Value value) {
  return isa<quant::QuantizedType>(
      cast<RankedTensorType>(value.getType()).getElementType());
}

static bool hasDynamicSpatialDims(Value value, Layout layout) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t h = layout == Layout::NHWC ? 1 : 2;
  return type.getRank() == 4 &&
         (type.isDynamicDim(h) || type.isDynamicDim(h + 1));
}

std::optional<std::string>
mlir::infer::getInferToLinalgLimitation(Operation *op) {
  if (std::optional<std::string> why = getQuantizedLimitation(op))
    return why;
  return llvm::TypeSwitch<Operation *, std::optional<std::string>>(op)
      .Case([](Conv2DOp conv) -> std::optional<std::string> {
        if (isQuantized(conv.getInput()) || isQuantized(conv.getWeight()))
          return std::nullopt; // the int8 lowering's
        auto input = conv.getInput().getType();
        if (ShapedType::isDynamicShape(input.getShape().drop_front()) ||
            !conv.getWeight().getType().hasStaticShape())
          return "only the batch dimension may be dynamic";
        return std::nullopt;
      })
      .Case<MaxPoolOp, AvgPoolOp>([](auto pool) -> std::optional<std::string> {
        if (hasDynamicSpatialDims(pool.getInput(), pool.getLayout()))
          return "dynamic spatial dimensions";
        return std::nullopt;
      })
      .Case([](SliceOp slice) -> std::optional<std::string> {
        auto type = slice.getInput().getType();
        int64_t rank = type.getRank();
        bool negative = false, dynamicSliced = false;
        for (size_t i = 0, e = slice.getStarts().size(); i < e; ++i) {
          int64_t axis = slice.getAxes() ? (*slice.getAxes())[i] : i;
          if (axis < 0)
            axis += rank;
          int64_t step = slice.getSteps() ? (*slice.getSteps())[i] : 1;
          bool dynamic = axis >= 0 && axis < rank && type.isDynamicDim(axis);
          if (dynamic && step < 0)
            return "a negative step along a dynamic dimension";
          negative |= step < 0;
          dynamicSliced |= dynamic;
        }
        if (negative && dynamicSliced)
          return "a negative step next to a sliced dynamic dimension";
        return std::nullopt;
      })
      .Default([](Operation *) { return std::nullopt; });
}

void mlir::infer::configureInferToLinalgTarget(
    ConversionTarget &target, const TypeConverter &typeConverter) {
  target.addIllegalDialect<InferDialect>();
  // The targets: linalg on tensors with its scalar bodies, tensor ops for
  // shapes, and scf.if for the run-time broadcast of dynamic extents.
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, scf::SCFDialect,
                         tensor::TensorDialect>();
  target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
    return typeConverter.isSignatureLegal(op.getFunctionType()) &&
           typeConverter.isLegal(&op.getBody());
  });
  target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
      [&](Operation *op) { return typeConverter.isLegal(op); });
}

namespace {
struct ConvertInferToLinalgPass final
    : infer::impl::ConvertInferToLinalgPassBase<ConvertInferToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    InferTypeConverter typeConverter;
    ConversionTarget target(*ctx);
    configureInferToLinalgTarget(target, typeConverter);
    RewritePatternSet patterns(ctx);
    populateInferToLinalgConversionPatterns(typeConverter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    // Pattern rollback stays on: with it off, a pattern that fails after
    // building IR is a fatal error, and a crash on user input is worse than
    // the bookkeeping rollback costs.
    // The patterns only notify match failures; the conversion's own
    // "failed to legalize" diagnostic is replaced by one per op that says
    // why (the conversion stops at the first such op).
    bool reported = false;
    {
      ScopedDiagnosticHandler quiet(ctx,
                                    [](Diagnostic &) { return success(); });
      if (succeeded(applyPartialConversion(getOperation(), target,
                                           std::move(patterns))))
        return;
    }
    getOperation().walk([&](Operation *op) {
      if (std::optional<std::string> why = getInferToLinalgLimitation(op)) {
        op->emitOpError("cannot be lowered to linalg: ") << *why;
        reported = true;
      }
    });
    if (!reported)
      getOperation().emitError("infer-convert-to-linalg failed on an op "
                               "without a known limitation (a lowering bug)");
    signalPassFailure();
  }
};
} // namespace
