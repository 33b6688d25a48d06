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

/* Generated from Passes.td: mlirRegisterInferPasses() registers every pass
 * with the global registry (so `mlirParsePassPipeline` finds them) and
 * mlirCreateInfer<Record>() creates one, e.g. mlirCreateInferRefineShapesPass.
 */
#include "infer/Dialect/Infer/Transforms/Passes.capi.h.inc"

#ifdef __cplusplus
}
#endif

#endif // INFER_C_PASSES_H
