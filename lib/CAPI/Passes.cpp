//===- Passes.cpp - C API for the infer passes ----------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer-c/Passes.h"

#include "infer/Conversion/Passes.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/InitAll.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::infer;

#include "infer/Conversion/Passes.capi.cpp.inc"
#include "infer/Dialect/Infer/Transforms/Passes.capi.cpp.inc"

void inferRegisterAllPasses() { registerAllInferPasses(); }
