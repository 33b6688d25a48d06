//===- infer-opt.cpp - the infer-mlir optimizer driver --------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, extension and pass, plus ours.
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"
#include "infer/Support/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::infer::registerAllInferPasses();
  mlir::infer::installVersionPrinter();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::infer::registerAllInferDialects(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "infer-mlir optimizer driver\n", registry));
}
