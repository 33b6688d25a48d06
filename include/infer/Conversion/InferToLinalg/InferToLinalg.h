//===- InferToLinalg.h - lower infer to linalg ------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H
#define INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::infer {

/// Converts quantized tensor types to their storage integer types and leaves
/// every other type unchanged.
class InferTypeConverter : public TypeConverter {
public:
  InferTypeConverter();
};

/// Patterns lowering every infer op to linalg/tensor/arith/math.
void populateInferToLinalgConversionPatterns(const TypeConverter &typeConverter,
                                             RewritePatternSet &patterns);

/// Marks the legality of the lowering target on `target`.
void configureInferToLinalgTarget(ConversionTarget &target,
                                  const TypeConverter &typeConverter);

} // namespace mlir::infer

#endif // INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H
