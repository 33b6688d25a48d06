//===- main.cpp - a downstream user of the installed package --------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Conversion/Passes.h"
#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

int main() {
  mlir::DialectRegistry registry;
  mlir::infer::registerAllInferDialects(registry);
  mlir::MLIRContext context(registry);
  auto *dialect = context.getOrLoadDialect<mlir::infer::InferDialect>();
  llvm::outs() << "loaded dialect: " << dialect->getNamespace() << "\n";

  const char *source = R"mlir(
    func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
      %y = infer.gelu %x : tensor<?x8xf32>
      return %y : tensor<?x8xf32>
    })mlir";
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  if (!module)
    return 1;

  mlir::PassManager pm(&context);
  mlir::infer::RefineShapesPassOptions options;
  options.batchSize = 5;
  pm.addPass(mlir::infer::createRefineShapesPass(options));
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());

  // The lowering is available to downstream compilers as well.
  mlir::PassManager lower(&context);
  lower.addPass(mlir::infer::createConvertInferToLinalgPass());
  if (mlir::failed(lower.run(*module)))
    return 1;
  llvm::outs() << "\n";
  module->print(llvm::outs());
  llvm::outs() << "\nok\n";
  return 0;
}
