//===- Dialects.cpp - C API for the infer dialect -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer-c/Dialects.h"

#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/InitAll.h"
#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Infer, infer, mlir::infer::InferDialect)

MlirLogicalResult inferRegisterAllDialects(MlirDialectRegistry registry) {
  if (mlirDialectRegistryIsNull(registry))
    return mlirLogicalResultFailure();
  mlir::infer::registerAllInferDialects(*unwrap(registry));
  return mlirLogicalResultSuccess();
}
