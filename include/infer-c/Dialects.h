/*===- infer-c/Dialects.h - C API for the infer dialect -----------*- C -*-===*\
|*                                                                            *|
|* Part of the infer-mlir project.                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef INFER_C_DIALECTS_H
#define INFER_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// `mlirGetDialectHandle__infer__()`: register or load the infer dialect
/// with `mlirDialectHandleRegisterDialect` / `mlirDialectHandleLoadDialect`.
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Infer, infer);

/// Registers the infer dialect and the dialects its passes produce.
/* Registers the infer dialect and the dialects our passes create; fails on a
 * null registry. */
MLIR_CAPI_EXPORTED MlirLogicalResult
inferRegisterAllDialects(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif // INFER_C_DIALECTS_H
