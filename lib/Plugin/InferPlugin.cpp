//===- InferPlugin.cpp - infer dialect and passes for stock mlir-opt ------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// One shared object that is both a dialect plugin and a pass plugin:
//   mlir-opt --load-dialect-plugin=InferPlugin.so \
//            --load-pass-plugin=InferPlugin.so \
//            --pass-pipeline="builtin.module(infer-refine-shapes)" model.mlir
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "InferDialectPlugin", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            infer::registerAllInferDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "InferPassPlugin", LLVM_VERSION_STRING,
          [] { infer::registerAllInferPasses(); }};
}
