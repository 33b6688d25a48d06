//===- infer-translate.cpp - translations out of MLIR ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mlir-translate with every upstream translation (--mlir-to-llvmir...) and
// ours: --infer-c-header writes the C header of a compiled model.
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"
#include "infer/Support/ToolSupport.h"
#include "infer/Target/CHeader.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  // mlirTranslateMain registers its own options (the translations, -o,
  // --split-input-file...) when it runs, so they stay visible in --help;
  // LLVM's codegen and debug options, registered before main, are hidden.
  mlir::infer::installVersionPrinter();
  mlir::infer::hideUnrelatedOptions({});
  mlir::registerAllTranslations();
  mlir::infer::registerCHeaderTranslation();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv,
                                              "infer-mlir translation driver"))
             ? 1
             : 0;
}
