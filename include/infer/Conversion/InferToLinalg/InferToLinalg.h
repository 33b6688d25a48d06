//===- InferToLinalg.h - lower infer to linalg ------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H
#define INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

#include <optional>
#include <string>

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

/// Why `op` (an infer op the verifier accepts) cannot be lowered to linalg,
/// or nothing when it can. The patterns fail to match on exactly these
/// cases, and the pass reports each such op once with this reason. Forms
/// that depend on values known only while rewriting (the slice steps of a
/// dynamic dimension) are covered too.
std::optional<std::string> getInferToLinalgLimitation(Operation *op);

/// Marks the legality of the lowering target on `target`.
void configureInferToLinalgTarget(ConversionTarget &target,
                                  const TypeConverter &typeConverter);

} // namespace mlir::infer

#endif // INFER_CONVERSION_INFERTOLINALG_INFERTOLINALG_H
