//===- Passes.td - infer graph passes ----------------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_TRANSFORMS_PASSES_TD
#define INFER_DIALECT_INFER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RefineShapesPass : Pass<"infer-refine-shapes", "ModuleOp"> {
  let summary = "Propagate static shapes through the infer graph";
  let description = [{
    Re-runs the result type inference of every `infer` op in program order
    and gives each result the most static type that is compatible with its
    declared one. With `batch-size=N`, the dynamic leading dimension of the
    tensor arguments of every function that has no callers is first fixed to
    `N`, which specializes a model imported with a symbolic batch for
    deployment at one batch size.

    Function results take the refined types when the function has no callers
    in the module; otherwise, and for users outside the `infer` dialect, a
    `tensor.cast` restores the declared type, so the IR stays valid.

    ```mlir
    // infer-opt --infer-refine-shapes="batch-size=1"
    func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
      %y = infer.relu %x : tensor<?x8xf32>
      return %y : tensor<?x8xf32>
    }
    // becomes
    func.func @main(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
      %y = infer.relu %x : tensor<1x8xf32>
      return %y : tensor<1x8xf32>
    }
    ```
  }];
  let options = [
    Option<"batchSize", "batch-size", "int64_t", /*default=*/"0",
           "Fix the dynamic leading dimension of entry-function tensor "
           "arguments to this size (0 keeps it dynamic)">,
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

#endif // INFER_DIALECT_INFER_TRANSFORMS_PASSES_TD
