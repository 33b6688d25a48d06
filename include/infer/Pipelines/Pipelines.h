//===- Pipelines.h - infer compilation pipelines ----------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_PIPELINES_PIPELINES_H
#define INFER_PIPELINES_PIPELINES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::infer {

/// The attribute holding the tensor-level type of a lowered function.
inline constexpr llvm::StringLiteral kSignatureAttrName = "infer.signature";
/// The argument attribute naming a model input (set by the importer).
inline constexpr llvm::StringLiteral kInputNameAttrName = "infer.name";
/// The function attribute listing input names after lowering.
inline constexpr llvm::StringLiteral kInputNamesAttrName = "infer.input_names";

#define GEN_PASS_DECL
#include "infer/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "infer/Pipelines/Passes.h.inc"

/// Options of `infer-cpu-pipeline`.
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("Target CPU for the generated code (llc -mcpu names; "
                     "empty: decided by the code generator)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Comma-separated target features (+avx2,+fma...)"),
      llvm::cl::init("")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: lower only; 1 and up: also canonicalize and "
                     "simplify between the stages"),
      llvm::cl::init(2)};
};

/// infer (or linalg on tensors) -> bufferized loops -> LLVM dialect, with C
/// interface wrappers for every function.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `infer-cpu-pipeline`.
void registerCPUPipeline();

} // namespace mlir::infer

#endif // INFER_PIPELINES_PIPELINES_H
