//===- Bitcode.cpp - --mlir-to-llvm-bitcode -------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The LLVM dialect to LLVM bitcode. Upstream's --mlir-to-llvmir prints
// textual IR: for a model with 100 MB of weights, 680 MB of escaped strings
// that opt then parses back. Bitcode carries the weights as raw bytes.
//
//===----------------------------------------------------------------------===//

#include "infer/Target/Bitcode.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace mlir;

void mlir::infer::registerBitcodeTranslation() {
  TranslateFromMLIRRegistration registration(
      "mlir-to-llvm-bitcode",
      "Translate the LLVM dialect to LLVM bitcode (binary)",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        llvm::LLVMContext context;
        std::unique_ptr<llvm::Module> module =
            translateModuleToLLVMIR(op, context);
        if (!module)
          return emitError(op->getLoc(),
                           "cannot translate the module to LLVM IR");
        llvm::WriteBitcodeToFile(*module, os);
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<DLTIDialect>();
        registerAllToLLVMIRTranslations(registry);
      });
}
