//===- InitAll.h - register everything infer-mlir provides ------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_INITALL_H
#define INFER_INITALL_H

namespace mlir {
class DialectRegistry;

namespace infer {

/// Registers the infer dialect and the dialects our passes create.
void registerAllInferDialects(DialectRegistry &registry);

/// Registers every infer pass and pipeline with the global registry.
void registerAllInferPasses();

} // namespace infer
} // namespace mlir

#endif // INFER_INITALL_H
