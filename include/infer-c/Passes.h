/*===- infer-c/Passes.h - C API for the infer passes --------------*- C -*-===*\
|*                                                                            *|
|* Part of the infer-mlir project.                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef INFER_C_PASSES_H
#define INFER_C_PASSES_H

#include "mlir-c/Pass.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Generated from the Passes.td files: mlirRegisterInferPasses() and
 * mlirRegisterInferConversionPasses() register passes with the global
 * registry (so `mlirParsePassPipeline` finds them); mlirCreateInfer<Record>()
 * creates one, e.g. mlirCreateInferRefineShapesPass,
 * mlirCreateInferConversionConvertInferToLinalgPass. */
#include "infer/Conversion/Passes.capi.h.inc"
#include "infer/Dialect/Infer/Transforms/Passes.capi.h.inc"

/// Registers every infer pass and pipeline (infer-cpu-pipeline included).
MLIR_CAPI_EXPORTED void inferRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // INFER_C_PASSES_H
