//===- ToolSupport.h - what every infer-mlir tool shares --------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_SUPPORT_TOOLSUPPORT_H
#define INFER_SUPPORT_TOOLSUPPORT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::infer {

/// The project version, e.g. "0.1.0".
const char *getInferVersion();

/// Makes `--version` print our version and the LLVM/MLIR it was built with.
void installVersionPrinter();

/// Hides every option outside `categories` from `--help` (LLVM's own
/// codegen and debug options), as iree-run-module does, and unregisters
/// LLVM options that would silently do nothing in our tools (`--threads`).
void hideUnrelatedOptions(llvm::ArrayRef<const llvm::cl::OptionCategory *>
                              categories);

} // namespace mlir::infer

#endif // INFER_SUPPORT_TOOLSUPPORT_H
