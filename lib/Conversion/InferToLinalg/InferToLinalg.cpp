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
    return type;
  });
}

void mlir::infer::populateInferToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  populateElementwisePatterns(typeConverter, patterns);
  populateComputePatterns(typeConverter, patterns);
  populateNormalizationPatterns(typeConverter, patterns);
  populateShapePatterns(typeConverter, patterns);
}

void mlir::infer::configureInferToLinalgTarget(
    ConversionTarget &target, const TypeConverter &typeConverter) {
  target.addIllegalDialect<InferDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, tensor::TensorDialect>();
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
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
