//===- ToolSupport.cpp - what every infer-mlir tool shares ----------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Support/ToolSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

const char *mlir::infer::getInferVersion() { return INFER_VERSION; }

void mlir::infer::installVersionPrinter() {
  cl::SetVersionPrinter([](raw_ostream &os) {
    os << "infer-mlir " << getInferVersion() << "\n"
       << "  built with LLVM/MLIR " << LLVM_VERSION_STRING
       << " (default target " << LLVM_DEFAULT_TARGET_TRIPLE << ")\n";
  });
}

void mlir::infer::hideUnrelatedOptions(
    ArrayRef<const cl::OptionCategory *> categories) {
  // LLVM registers a `--threads` option in some of its libraries; it would be
  // accepted and ignored, so it is removed before our tools parse anything.
  auto &options = cl::getRegisteredOptions();
  auto it = options.find("threads");
  if (it != options.end() && !llvm::any_of(categories, [&](auto *category) {
        return llvm::is_contained(it->second->Categories, category);
      }))
    it->second->removeArgument();
  cl::HideUnrelatedOptions(categories);
}
