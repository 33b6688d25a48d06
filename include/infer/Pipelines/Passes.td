//===- Passes.td - pipeline helper passes ------------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_PIPELINES_PASSES_TD
#define INFER_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

def SetLLVMTargetPass : Pass<"infer-set-llvm-target", "ModuleOp"> {
  let summary = "Stamp the target CPU and features on every llvm.func";
  let description = [{
    Sets `target_cpu` and `target_features` on the LLVM functions of the
    module, which become the `"target-cpu"` / `"target-features"` function
    attributes of the emitted LLVM IR: the JIT and `llc` then generate code
    for that CPU (FMA, AVX-512...) instead of the baseline.

    ```mlir
    // --infer-set-llvm-target="cpu=skylake-avx512 features=+avx512f,+fma"
    llvm.func @f() attributes {target_cpu = "skylake-avx512",
        target_features = #llvm.target_features<["+avx512f", "+fma"]>}
    ```
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "Target CPU name as llc -mcpu spells it (empty: leave unset)">,
    Option<"features", "features", "std::string", /*default=*/"\"\"",
           "Comma-separated target features, e.g. +avx2,+fma (empty: leave unset)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def RecordSignaturesPass : Pass<"infer-record-signatures", "ModuleOp"> {
  let summary = "Keep the tensor signature of public functions through lowering";
  let description = [{
    Copies the function type of every public function definition into a
    discardable `infer.signature` attribute, which the LLVM lowering carries
    over to the `llvm.func`. Runners and the C header generator read it to
    know the element types and shapes behind the memref descriptors of an
    already lowered module. Input names given as `infer.name` argument
    attributes move into an `infer.input_names` array on the function.

    ```mlir
    func.func @main(%x: tensor<?x8xf32>) -> tensor<?x8xf32>
        attributes {infer.signature = (tensor<?x8xf32>) -> tensor<?x8xf32>}
    ```
  }];
}

#endif // INFER_PIPELINES_PASSES_TD
