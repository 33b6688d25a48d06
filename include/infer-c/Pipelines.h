/*===- infer-c/Pipelines.h - C API for the infer pipelines --------*- C -*-===*\
|*                                                                            *|
|* Part of the infer-mlir project.                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef INFER_C_PIPELINES_H
#define INFER_C_PIPELINES_H

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every entry point checks its arguments: a null handle, a pass manager
 * anchored on something other than `builtin.module` or a malformed option
 * string gives a failure and a message through `errorCallback` (which may
 * be NULL), never a crash. */

/* Appends infer-cpu-pipeline to `pm`, which must be anchored on
 * builtin.module. `options` is the textual option list of the pipeline,
 * e.g. "opt-level=2 target-cpu=znver4" (empty: defaults). */
MLIR_CAPI_EXPORTED MlirLogicalResult
inferAddCPUPipeline(MlirOpPassManager pm, MlirStringRef options,
                    MlirStringCallback errorCallback, void *userData);

/* Lowers `module` to the LLVM dialect with infer-cpu-pipeline{options}.
 * Diagnostics of a failing pass go to `errorCallback`, one per call. */
MLIR_CAPI_EXPORTED MlirLogicalResult
inferLowerModuleForCPU(MlirModule module, MlirStringRef options,
                       MlirStringCallback errorCallback, void *userData);

#ifdef __cplusplus
}
#endif

#endif /* INFER_C_PIPELINES_H */
