//===- Passes.td - conversion passes -----------------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CONVERSION_PASSES_TD
#define INFER_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertInferToLinalgPass : Pass<"infer-convert-to-linalg", "ModuleOp"> {
  let summary = "Lower the infer dialect to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `infer` op into linalg on tensors: named ops where they
    exist (`linalg.matmul`, `linalg.batch_matmul`, `linalg.conv_2d_nchw_fchw`,
    `linalg.depthwise_conv_2d_nchw_chw`, `linalg.conv_2d_ngchw_gfchw`,
    `linalg.pooling_nchw_max/sum`, `linalg.transpose`), `linalg.generic` for
    elementwise ops with broadcasting, reductions and normalizations, and
    `tensor` ops for shape manipulation. Dynamic dimensions (a dynamic batch)
    are carried through `tensor.dim`; a dynamic extent that turns out to be 1
    at run time broadcasts as numpy does, through an explicit broadcast behind
    an `scf.if`, so that every elementwise generic keeps pure indexing maps
    (the contract codegen relies on: docs/lowering.md).

    Quantized tensor types become their storage integer types, in function
    signatures too. An op that cannot be lowered (for example a convolution
    on quantized operands, which the quantization passes must rewrite first)
    is reported at its location and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // INFER_CONVERSION_PASSES_TD
