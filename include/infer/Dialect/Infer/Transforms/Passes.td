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

def FusePass : Pass<"infer-fuse", "func::FuncOp"> {
  let summary = "Graph-level fusion: fold normalizations into weights, "
                "recognize decomposed activations";
  let description = [{
    Rewrites the graph so that fewer, larger ops run:

    - `batch_norm` after a `conv2d` with constant weights and statistics is
      folded into the convolution's weights and bias at compile time
      (`fold-batch-norm`).

    ```mlir
    %y = infer.conv2d %x, %w : ...
    %z = infer.batch_norm %y, %scale, %shift, %mean, %var : ...
    // becomes
    %z = infer.conv2d %x, %w_folded, %b_folded : ...
    ```

    - GELU and SiLU written as chains of elementwise ops, as exporters emit
      them, become `infer.gelu` and `infer.silu` (`recognize-activations`):
      `0.5 * x * (1 + erf(x / sqrt(2)))` (also with `x * (1 / sqrt(2))`, any
      operand order and the 0.5 applied first, last or to x), its tanh form
      `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))` (the cube as
      `pow(x, 3)` or two products) and `x * sigmoid(x)`. Constants must be single f32 values and the
      intermediate values used by the chain alone.
    - Softmax and layer normalization written as reductions and elementwise
      ops become `infer.softmax` and `infer.layer_norm`
      (`recognize-normalizations`): `e / reduce_sum(e)` with
      `e = exp(x)` or `exp(x - reduce_max(x))` over one kept axis, and
      `(x - mean) / sqrt(mean((x - mean)^2) + eps) * gamma (+ beta)` over
      trailing kept axes (the square as `pow(d, 2)` or `d * d`; gamma and
      beta of the normalized shape; eps a single constant).
    - Sibling matmuls that read the same input with constant weights of the
      same depth (the Q, K and V projections of attention), each with an
      optional constant bias add, become one matmul of the concatenated
      weights, one bias add and a slice per sibling (`horizontal`).
    - Sibling convolutions with the same window over one input, with
      constant filters, become one convolution of the concatenated filters
      and biases and a slice per sibling, an activation they all have
      hoisted before the slices (`horizontal-convs`; off by default: the
      slices of the wide result are copied where the separate results were
      written in place, docs/fusion.md has the measurement).
  }];
  let options = [
    Option<"foldBatchNorm", "fold-batch-norm", "bool", /*default=*/"true",
           "Fold batch normalizations into the preceding convolution">,
    Option<"recognizeActivations", "recognize-activations", "bool",
           /*default=*/"true",
           "Replace decomposed GELU (erf and tanh forms) and SiLU with the "
           "named ops">,
    Option<"recognizeNormalizations", "recognize-normalizations", "bool",
           /*default=*/"true",
           "Replace decomposed softmax and layer normalization with the "
           "named ops">,
    Option<"horizontal", "horizontal", "bool", /*default=*/"true",
           "Merge sibling matmuls that share an input (and their bias adds) "
           "into one wider matmul and slices">,
    Option<"horizontalConvs", "horizontal-convs", "bool", /*default=*/"false",
           "Merge sibling convolutions with the same window over one input "
           "into one wider convolution and slices">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per horizontal merge and a summary of the ops "
           "before and after">,
  ];
}

def QuantizePass : Pass<"infer-quantize", "func::FuncOp"> {
  let summary = "Post-training int8 quantization from a calibration table";
  let description = [{
    Rewrites convolutions, gemms and matmuls with constant weights into int8
    ops, using the activation ranges of a calibration table written by
    `infer-calibrate` (JSON keyed by ONNX value name; an op is found by its
    location, `loc("node name")`, which the importer gives every op):

    - the input is quantized per tensor to asymmetric uint8 (the table's
      `asymmetric` scale and zero point), the weights symmetrically per
      output channel to int8 (scale max|w| / 127, zero point 0), the bias
      stays a float constant that the lowering rounds into the i32
      accumulator;
    - the result gets the range of the op's value, or that of a ReLU that
      is its only user, which is then absorbed (a uint8 range starting at
      zero clips what ReLU would);
    - `infer.dequantize` follows each int8 op. Then max_pool, relu, reshape,
      flatten, transpose and add of dequantized values (add when its value
      is in the table) move into the int8 region, and `quantize` of a
      `dequantize` of the same type cancels: quantize and dequantize remain
      only at the borders of int8 regions.

    An op whose input, output or weights cannot be quantized stays fp32,
    with a remark saying why under `report`; so does a convolution whose
    int8 form is not faster by the cost model (multiply-adds at the f32 and
    int8 kernels' rates, plus the im2col copy the int8 kernel reads: a
    window over one input channel loses); so does an op that the table's
    `fp32` decisions keep (the per-layer sensitivity analysis of
    `infer-calibrate --sensitivity` writes them, with the measured error),
    and, with `only`, every op not named there.
  }];
  let options = [
    Option<"calibration", "calibration", "std::string", /*default=*/"",
           "The calibration table (JSON from infer-calibrate)">,
    ListOption<"only", "only", "std::string",
               "Quantize only the ops of these ONNX nodes (the sensitivity "
               "analysis quantizes one layer at a time)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per convolution and contraction: quantized with "
           "its scales, or kept in fp32 and why">,
  ];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

def ConvertPrecisionPass : Pass<"infer-convert-precision", "func::FuncOp"> {
  let summary = "Half-precision convolutions and contractions with f32 "
                "accumulation";
  let description = [{
    The constant weights of every `conv2d`, `gemm` and `matmul` become bf16
    (or f16) constants, rounded to nearest even at compile time; the input
    is cast to the same type (once per value); the op accumulates and
    returns f32. Every other op (normalizations such as softmax and
    layer_norm, activations, residual adds) keeps f32, and so does a
    convolution that the cost model finds no faster in 16 bits (a window
    over a few input channels: the im2col copy outweighs the products). On AVX512-BF16 hosts
    the bf16 contractions run on `vdpbf16ps`.
  }];
  let options = [
    Option<"precision", "precision", "std::string", /*default=*/"\"bf16\"",
           "bf16 or f16">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per convolution and contraction: converted, or "
           "kept in f32 and why">,
  ];
}

def ConvertLayoutPass : Pass<"infer-convert-layout", "func::FuncOp"> {
  let summary = "Run convolutions and pooling in NHWC, with at most one "
                "layout change at each end of a network";
  let description = [{
    The CPU kernels read activations channels-last: the output channels of
    a convolution fill the vector registers. This pass gives every 4-D
    `conv2d`, `max_pool`, `avg_pool`, `global_avg_pool` and `batch_norm` the
    NHWC layout, with transposes around it, then moves the transposes
    towards the outputs through elementwise ops (unary, and binary ops with
    a transposed or constant other operand), concatenations and pads, where
    a transpose back meets the next op's transpose in and both cancel. A
    transpose stays where an op does not commute with it (a reshape that
    mixes channels and space, a softmax over channels...): the result is
    always correct, and a plain CNN pays for one transpose at its input and
    one at its output.

    ```mlir
    // before
    %y = infer.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
    %z = infer.relu %y : tensor<1x4x6x6xf32>
    // after
    %t = infer.transpose %x {perm = array<i64: 0, 2, 3, 1>} : ...
    %y = infer.conv2d %t, %w {layout = #infer<layout nhwc>} : ... -> tensor<1x6x6x4xf32>
    %r = infer.relu %y : tensor<1x6x6x4xf32>
    %z = infer.transpose %r {perm = array<i64: 0, 3, 1, 2>} : ...
    ```
  }];
}

#endif // INFER_DIALECT_INFER_TRANSFORMS_PASSES_TD
