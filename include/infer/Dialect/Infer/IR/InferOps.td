//===- InferOps.td - infer dialect operations --------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFEROPS_TD
#define INFER_DIALECT_INFER_IR_INFEROPS_TD

include "infer/Dialect/Infer/IR/InferAttrs.td"
include "infer/Dialect/Infer/IR/InferBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops whose result shape follows from operands and attributes. The declared
// result type may be more static than the inferred one (a refined batch
// dimension), never contradict it.
defvar Infer_ShapeInference = InferTypeOpAdaptorWithIsCompatible;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Infer_ConstantOp : Infer_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "Constant tensor (weights, biases, folded shapes)";
  let description = [{
    Produces a tensor from an elements attribute. Weights of imported models
    are `dense_resource` blobs so that large models stay compact in text form;
    small constants are plain `dense` literals.

    ```mlir
    %w = infer.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %k = infer.constant dense_resource<conv1_weight> : tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

def Infer_Conv2DOp : Infer_Op<"conv2d",
    [Pure, Infer_ShapeInference]> {
  let summary = "2-D convolution (grouped and depthwise too)";
  let description = [{
    ONNX `Conv` for two spatial dimensions. `input` is `N x C x H x W`, or
    `N x H x W x C` with `layout = #infer<layout nhwc>` (the result follows
    the input's layout); `weight` is always `F x C/group x KH x KW`, the
    optional `bias` has `F` elements. `pads` is `[top, left, bottom, right]`.
    With `group == C == F` the op is a depthwise convolution.

    Integer and quantized operands may produce an `i32` or differently
    quantized result (integer accumulation).

    ```mlir
    %y = infer.conv2d %x, %w, %b {strides = array<i64: 2, 2>,
                                  pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x224x224xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>)
        -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Infer_ComputeTensor:$input,
                       Infer_ComputeTensor:$weight,
                       Optional<Infer_ComputeTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<Infer_I64Attr, "1">:$group,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_ComputeTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Infer_MatMulOp : Infer_Op<"matmul", [Pure, Infer_ShapeInference]> {
  let summary = "Matrix product with numpy semantics (batched, broadcasting)";
  let description = [{
    ONNX `MatMul`: operands of rank 2 or more multiply their last two
    dimensions and broadcast the leading (batch) dimensions; a rank-1 operand
    is promoted to a matrix and the added dimension is removed again.

    ```mlir
    %c = infer.matmul %a, %b : (tensor<?x128x64xf32>, tensor<64x32xf32>)
                               -> tensor<?x128x32xf32>
    ```
  }];
  let arguments = (ins Infer_ComputeTensor:$lhs, Infer_ComputeTensor:$rhs);
  let results = (outs Infer_ComputeTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Infer_GemmOp : Infer_Op<"gemm", [Pure, Infer_ShapeInference]> {
  let summary = "General matrix multiply: alpha * op(A) * op(B) + beta * C";
  let description = [{
    ONNX `Gemm` on matrices. `op(X)` transposes `X` when `trans_a` / `trans_b`
    is set. The optional `c` broadcasts to the `M x N` result.

    ```mlir
    %y = infer.gemm %x, %w, %b {trans_b = true}
        : (tensor<1x512xf32>, tensor<10x512xf32>, tensor<10xf32>)
        -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins Infer_ComputeTensor:$a,
                       Infer_ComputeTensor:$b,
                       Optional<Infer_ComputeTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Infer_ComputeTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Infer_BinaryOp<string mnemonic, string what, Type tensorType,
                     list<Trait> traits = [], bit quantizable = 0,
                     bit foldable = 1>
    : Infer_Op<mnemonic, !listconcat(traits,
          !if(quantizable, [], [SameOperandsAndResultElementType]),
          [Pure, Infer_ShapeInference])> {
  let summary = "Elementwise " # what # " with numpy broadcasting";
  let description = !strconcat([{
    Computes }], what, [{ elementwise. The operand shapes broadcast as in
    numpy (and ONNX): dimensions are aligned from the right and a dimension
    of size 1 stretches to the other operand's.

    ```mlir
    %z = infer.}], mnemonic, [{ %x, %y : (tensor<2x3xf32>, tensor<3xf32>)
                       -> tensor<2x3xf32>
    ```
  }]);
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = foldable;
  // Quantized operands and result may each have their own parameters.
  let hasVerifier = quantizable;
}

def Infer_AddOp : Infer_BinaryOp<"add", "addition", Infer_ComputeTensor,
                                 [Commutative], /*quantizable=*/1>;
def Infer_SubOp : Infer_BinaryOp<"sub", "subtraction", Infer_NumericTensor>;
def Infer_MulOp : Infer_BinaryOp<"mul", "multiplication", Infer_NumericTensor,
                                 [Commutative]>;
def Infer_DivOp : Infer_BinaryOp<"div", "division", Infer_NumericTensor>;
def Infer_PowOp : Infer_BinaryOp<"pow", "power (lhs raised to rhs)",
                                 Infer_NumericTensor>;
def Infer_MaxOp : Infer_BinaryOp<"max", "maximum", Infer_NumericTensor,
                                 [Commutative]>;
def Infer_MinOp : Infer_BinaryOp<"min", "minimum", Infer_NumericTensor,
                                 [Commutative]>;
def Infer_AndOp : Infer_BinaryOp<"and", "bitwise and (logical on i1)",
    Infer_IntegerTensor, [Commutative], 0, 0>;
def Infer_OrOp : Infer_BinaryOp<"or", "bitwise or (logical on i1)",
    Infer_IntegerTensor, [Commutative], 0, 0>;
def Infer_XorOp : Infer_BinaryOp<"xor", "bitwise exclusive or (logical on i1)",
    Infer_IntegerTensor, [Commutative], 0, 0>;
def Infer_BitShiftOp : Infer_BinaryOp<"bit_shift",
    "shift of lhs by rhs bits, `left` or `right` (logical for unsigned, "
    "arithmetic for signless integers); shifting by the width or more gives 0",
    Infer_IntegerTensor, [], 0, 0> {
  let arguments = (ins Infer_IntegerTensor:$lhs, Infer_IntegerTensor:$rhs,
                       DefaultValuedStrAttr<StrAttr, "left">:$direction);
  let hasVerifier = 1;
}
def Infer_ModOp : Infer_BinaryOp<"mod",
    "remainder: with the divisor's sign (`fmod = false`, integers only) or "
    "the dividend's (`fmod = true`, C's fmod)", Infer_NumericTensor, [], 0, 0> {
  let arguments = (ins Infer_NumericTensor:$lhs, Infer_NumericTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Comparisons and selection
//===----------------------------------------------------------------------===//

class Infer_CompareOp<string mnemonic, string what, list<Trait> traits = []>
    : Infer_Op<mnemonic, !listconcat(traits,
          [Pure, SameOperandsElementType, Infer_ShapeInference])> {
  let summary = "Elementwise comparison: " # what;
  let description = !strconcat([{
    Compares elementwise with numpy broadcasting and returns `i1`: }], what,
    [{. Floats compare ordered (a NaN operand gives false), integers signed.

    ```mlir
    %m = infer.}], mnemonic, [{ %x, %y : (tensor<2x3xf32>, tensor<3xf32>)
                       -> tensor<2x3xi1>
    ```
  }]);
  let arguments = (ins Infer_NumericTensor:$lhs, Infer_NumericTensor:$rhs);
  let results = (outs Infer_BoolTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Infer_EqualOp : Infer_CompareOp<"equal", "lhs == rhs", [Commutative]>;
def Infer_GreaterOp : Infer_CompareOp<"greater", "lhs > rhs">;
def Infer_GreaterEqualOp : Infer_CompareOp<"greater_equal", "lhs >= rhs">;
def Infer_LessOp : Infer_CompareOp<"less", "lhs < rhs">;
def Infer_LessEqualOp : Infer_CompareOp<"less_equal", "lhs <= rhs">;

def Infer_WhereOp : Infer_Op<"where", [Pure, Infer_ShapeInference]> {
  let summary = "Elementwise selection: x where the condition holds, else y";
  let description = [{
    ONNX `Where`; the three operands broadcast as in numpy.

    ```mlir
    %z = infer.where %c, %x, %y
        : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Infer_BoolTensor:$condition, Infer_Tensor:$x,
                       Infer_Tensor:$y);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

class Infer_UnaryOp<string mnemonic, string what, Type tensorType,
                    dag attrs = (ins), string attrExample = "">
    : Infer_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise " # what;
  let description = !strconcat([{
    Applies }], what, [{ to every element; the result has the operand's type.

    ```mlir
    %y = infer.}], mnemonic, " %x ", attrExample, [{: tensor<1x64x56x56xf32>
    ```
  }]);
  let arguments = !con((ins tensorType:$input), attrs);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

// Unary ops that fold on constant operands.
class Infer_FoldableUnaryOp<string mnemonic, string what, Type tensorType>
    : Infer_UnaryOp<mnemonic, what, tensorType> {
  let hasFolder = 1;
}

def Infer_SqrtOp : Infer_FoldableUnaryOp<"sqrt", "square root", Infer_FloatTensor>;
def Infer_ExpOp : Infer_FoldableUnaryOp<"exp", "exponential", Infer_FloatTensor>;
def Infer_LogOp : Infer_FoldableUnaryOp<"log", "natural logarithm", Infer_FloatTensor>;
def Infer_NegOp : Infer_FoldableUnaryOp<"neg", "negation", Infer_NumericTensor>;
def Infer_AbsOp : Infer_FoldableUnaryOp<"abs", "absolute value", Infer_NumericTensor>;
def Infer_ErfOp : Infer_UnaryOp<"erf", "the Gauss error function", Infer_FloatTensor>;
def Infer_TanhOp : Infer_FoldableUnaryOp<"tanh", "hyperbolic tangent", Infer_FloatTensor>;
def Infer_SigmoidOp : Infer_FoldableUnaryOp<"sigmoid",
    "the logistic function 1 / (1 + exp(-x))", Infer_FloatTensor>;
def Infer_ReluOp : Infer_FoldableUnaryOp<"relu", "max(x, 0)", Infer_ComputeTensor>;
def Infer_SiluOp : Infer_UnaryOp<"silu", "x * sigmoid(x) (swish)", Infer_FloatTensor>;
def Infer_ReciprocalOp : Infer_UnaryOp<"reciprocal", "1 / x", Infer_FloatTensor>;
def Infer_FloorOp : Infer_UnaryOp<"floor", "rounding toward -inf", Infer_FloatTensor>;
def Infer_CeilOp : Infer_UnaryOp<"ceil", "rounding toward +inf", Infer_FloatTensor>;
def Infer_RoundOp : Infer_UnaryOp<"round",
    "rounding to the nearest integer, halves to even", Infer_FloatTensor>;
def Infer_SignOp : Infer_UnaryOp<"sign", "the sign (-1, 0 or 1)", Infer_NumericTensor>;
def Infer_SinOp : Infer_UnaryOp<"sin", "sine", Infer_FloatTensor>;
def Infer_CosOp : Infer_UnaryOp<"cos", "cosine", Infer_FloatTensor>;
def Infer_TanOp : Infer_UnaryOp<"tan", "tangent", Infer_FloatTensor>;
def Infer_AsinOp : Infer_UnaryOp<"asin", "arc sine", Infer_FloatTensor>;
def Infer_AcosOp : Infer_UnaryOp<"acos", "arc cosine", Infer_FloatTensor>;
def Infer_AtanOp : Infer_UnaryOp<"atan", "arc tangent", Infer_FloatTensor>;
def Infer_SinhOp : Infer_UnaryOp<"sinh", "hyperbolic sine", Infer_FloatTensor>;
def Infer_CoshOp : Infer_UnaryOp<"cosh", "hyperbolic cosine", Infer_FloatTensor>;
def Infer_AsinhOp : Infer_UnaryOp<"asinh", "inverse hyperbolic sine", Infer_FloatTensor>;
def Infer_AcoshOp : Infer_UnaryOp<"acosh", "inverse hyperbolic cosine", Infer_FloatTensor>;
def Infer_AtanhOp : Infer_UnaryOp<"atanh", "inverse hyperbolic tangent", Infer_FloatTensor>;
def Infer_NotOp : Infer_UnaryOp<"not",
    "bitwise complement (logical not on i1)", Infer_IntegerTensor>;

class Infer_ClassifyOp<string mnemonic, string what, dag attrs = (ins)>
    : Infer_Op<mnemonic, [Pure, SameOperandsAndResultShape]> {
  let summary = "Elementwise test: " # what;
  let description = !strconcat([{
    Returns `i1` true where the element is }], what, [{.

    ```mlir
    %m = infer.}], mnemonic, [{ %x : (tensor<2x3xf32>) -> tensor<2x3xi1>
    ```
  }]);
  let arguments = !con((ins Infer_FloatTensor:$input), attrs);
  let results = (outs Infer_BoolTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def Infer_IsNaNOp : Infer_ClassifyOp<"is_nan", "NaN">;
def Infer_IsInfOp : Infer_ClassifyOp<"is_inf",
    "infinite (+inf with `detect_positive`, -inf with `detect_negative`)",
    (ins DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
         DefaultValuedAttr<BoolAttr, "true">:$detect_negative)>;

def Infer_HardSwishOp : Infer_UnaryOp<"hard_swish",
    "x * max(0, min(1, x / 6 + 1 / 2))", Infer_FloatTensor>;

def Infer_LeakyReluOp : Infer_UnaryOp<"leaky_relu",
    "x if x >= 0 else alpha * x", Infer_FloatTensor,
    (ins DefaultValuedAttr<F32Attr, "0.01f">:$alpha), "{alpha = 0.1 : f32} ">;

def Infer_HardSigmoidOp : Infer_UnaryOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))", Infer_FloatTensor,
    (ins DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5f">:$beta),
    "{alpha = 0.2 : f32, beta = 0.5 : f32} ">;

def Infer_ClipOp : Infer_UnaryOp<"clip",
    "min(max(x, min), max) (a bound that is absent does not clip; integer "
    "tensors use the bounds truncated toward zero)",
    Infer_NumericTensor,
    (ins OptionalAttr<F32Attr>:$min, OptionalAttr<F32Attr>:$max),
    "{min = 0.0 : f32, max = 6.0 : f32} "> {
  let hasVerifier = 1;
}

def Infer_GeluOp : Infer_UnaryOp<"gelu",
    "x * Phi(x), exactly (`approximate = \"none\"`) or with the tanh formula",
    Infer_FloatTensor,
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate),
    "{approximate = \"tanh\"} "> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Infer_BatchNormOp : Infer_Op<"batch_norm",
    [Pure, SameOperandsElementType, Infer_ShapeInference]> {
  let summary = "Batch normalization, inference form";
  let description = [{
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias`, per channel
    (dimension 1 of an `N x C x ...` input, the last dimension with
    `layout = #infer<layout nhwc>`), with the running statistics as
    operands. Folding into a preceding convolution is a graph rewrite.

    ```mlir
    %y = infer.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>,
           tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input, Infer_FloatTensor:$scale,
                       Infer_FloatTensor:$bias, Infer_FloatTensor:$mean,
                       Infer_FloatTensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

def Infer_LayerNormOp : Infer_Op<"layer_norm",
    [Pure, SameOperandsElementType, Infer_ShapeInference]> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    ONNX `LayerNormalization`: normalizes over dimensions `axis..rank-1` to
    zero mean and unit variance, then applies `scale` and the optional `bias`,
    which broadcast to the normalized shape.

    ```mlir
    %y = infer.layer_norm %x, %gamma, %beta {axis = -1 : i64}
        : (tensor<1x128x256xf32>, tensor<256xf32>, tensor<256xf32>)
        -> tensor<1x128x256xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input, Infer_FloatTensor:$scale,
                       Optional<Infer_FloatTensor>:$bias,
                       DefaultValuedAttr<Infer_I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

class Infer_SoftmaxBase<string mnemonic, string what, string formula>
    : Infer_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = what # " along one axis";
  let description = !strconcat("`", formula, [{` along `axis` (ONNX opset 13
    semantics), computed with the maximum along the axis subtracted first.

    ```mlir
    %p = infer.}], mnemonic, [{ %logits {axis = -1 : i64} : tensor<1x8x128x128xf32>
    ```
  }]);
  let arguments = (ins Infer_FloatTensor:$input,
                       DefaultValuedAttr<Infer_I64Attr, "-1">:$axis);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Infer_SoftmaxOp : Infer_SoftmaxBase<"softmax", "Softmax",
                                        "exp(x) / sum(exp(x))">;
def Infer_LogSoftmaxOp : Infer_SoftmaxBase<"log_softmax", "Log-softmax",
                                           "x - log(sum(exp(x)))">;

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Infer_MaxPoolOp : Infer_Op<"max_pool", [Pure, Infer_ShapeInference]> {
  let summary = "2-D max pooling (NCHW, or NHWC with `layout`)";
  let description = [{
    ONNX `MaxPool` over the two spatial dimensions. Padded positions never
    win. `pads` is `[top, left, bottom, right]`; `ceil_mode` rounds the output
    size up as ONNX does (a window must still start inside the input or the
    leading padding).

    ```mlir
    %y = infer.max_pool %x {kernel_shape = array<i64: 3, 3>,
                            strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Infer_ComputeTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_ComputeTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def Infer_AvgPoolOp : Infer_Op<"avg_pool", [Pure, Infer_ShapeInference]> {
  let summary = "2-D average pooling (NCHW, or NHWC with `layout`)";
  let description = [{
    ONNX `AveragePool` over the two spatial dimensions. With
    `count_include_pad` the divisor is the full window size, otherwise the
    number of non-padding elements in the window.

    ```mlir
    %y = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>,
                            strides = array<i64: 2, 2>}
        : (tensor<1x64x56x56xf32>) -> tensor<1x64x28x28xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def Infer_GlobalAvgPoolOp : Infer_Op<"global_avg_pool",
    [Pure, Infer_ShapeInference]> {
  let summary = "Average over all spatial dimensions, kept as size 1";
  let description = [{
    ONNX `GlobalAveragePool`: `N x C x D1 x ... x Dn` becomes
    `N x C x 1 x ... x 1`; with `layout = #infer<layout nhwc>` a 4-D
    `N x H x W x C` becomes `N x 1 x 1 x C`.

    ```mlir
    %y = infer.global_avg_pool %x : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Infer_ReduceOp<string mnemonic, string what>
    : Infer_Op<mnemonic, [Pure, Infer_ShapeInference]> {
  let summary = "Reduce with " # what # " over the given axes";
  let description = !strconcat([{
    Reduces `input` with }], what, [{ over `axes` (all axes when empty; negative
    axes count from the back). With `keepdims` the reduced dimensions stay as
    size 1.

    ```mlir
    %s = infer.}], mnemonic, [{ %x {axes = array<i64: -1>, keepdims = false}
        : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
    ```
  }]);
  let arguments = (ins Infer_NumericTensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def Infer_ReduceSumOp : Infer_ReduceOp<"reduce_sum", "a sum">;
def Infer_ReduceMeanOp : Infer_ReduceOp<"reduce_mean", "the arithmetic mean">;
def Infer_ReduceMaxOp : Infer_ReduceOp<"reduce_max", "the maximum">;
def Infer_ReduceMinOp : Infer_ReduceOp<"reduce_min", "the minimum">;
def Infer_ReduceProdOp : Infer_ReduceOp<"reduce_prod", "a product">;

class Infer_ArgReduceOp<string mnemonic, string what>
    : Infer_Op<mnemonic, [Pure, Infer_ShapeInference]> {
  let summary = "Index of the " # what # " along an axis";
  let description = !strconcat([{
    The `i64` index of the }], what, [{ along `axis`: the first one, or the
    last one with `select_last_index`. With `keepdims` the axis stays as
    size 1. NaN is not ordered against other values.

    ```mlir
    %i = infer.}], mnemonic, [{ %x {axis = 1 : i64, keepdims = false}
        : (tensor<2x10xf32>) -> tensor<2xi64>
    ```
  }]);
  let arguments = (ins Infer_NumericTensor:$input,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def Infer_ArgMaxOp : Infer_ArgReduceOp<"arg_max", "largest element">;
def Infer_ArgMinOp : Infer_ArgReduceOp<"arg_min", "smallest element">;

def Infer_CumSumOp : Infer_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative sum along an axis";
  let description = [{
    ONNX `CumSum`: `y[..., i, ...] = sum of x[..., j, ...]` for `j <= i`
    (`j < i` with `exclusive`; from the end with `reverse`).

    ```mlir
    %y = infer.cumsum %x {axis = 1 : i64, reverse = true} : tensor<2x5xf32>
    ```
  }];
  let arguments = (ins Infer_NumericTensor:$input,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Infer_ReshapeOp : Infer_Op<"reshape", [Pure, Infer_ShapeInference]> {
  let summary = "Reshape with ONNX semantics (0 copies, -1 infers)";
  let description = [{
    Reinterprets the row-major elements of `input` with the shape `shape`. An
    entry `0` copies the input's dimension at that position and at most one
    entry may be `-1`, inferred from the element count; so a dynamic batch
    dimension survives `shape = [0, -1]`.

    ```mlir
    %y = infer.reshape %x {shape = array<i64: 0, -1>}
        : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Infer_ShapeOfOp : Infer_Op<"shape", [Pure, Infer_ShapeInference]> {
  let summary = "The dimensions of a tensor, as a 1-D i64 tensor (ONNX Shape)";
  let description = [{
    Dimensions `start` to `end` (exclusive; negative values count from the
    back, out-of-range ones are clamped as ONNX does) of `input`'s shape,
    read at run time where they are dynamic. Folds to a constant when they
    are all static.

    ```mlir
    %s = infer.shape %x {start = 0 : i64, end = 2 : i64} : (tensor<?x3x?xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$start,
                       OptionalAttr<Infer_I64Attr>:$end);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_DynamicReshapeOp : Infer_Op<"dynamic_reshape", [Pure]> {
  let summary = "Reshape to a shape computed at run time (ONNX Reshape)";
  let description = [{
    `infer.reshape` with the shape as a 1-D i64 operand, whose length is the
    result's rank: an entry `0` copies the input's dimension there (unless
    `allowzero`), one entry may be `-1`, inferred from the element count. The
    result type may know some dimensions statically.

    ```mlir
    %y = infer.dynamic_reshape %x, %s : (tensor<?x64xf32>, tensor<3xi64>) -> tensor<?x8x8xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, RankedTensorOf<[I64]>:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Infer_FlattenOp : Infer_Op<"flatten", [Pure, Infer_ShapeInference]> {
  let summary = "Flatten into a matrix at an axis";
  let description = [{
    ONNX `Flatten`: dimensions before `axis` form the rows, the rest the
    columns.

    ```mlir
    %y = infer.flatten %x {axis = 1 : i64} : (tensor<?x64x7x7xf32>) -> tensor<?x3136xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, DefaultValuedAttr<Infer_I64Attr, "1">:$axis);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_TransposeOp : Infer_Op<"transpose", [Pure, Infer_ShapeInference]> {
  let summary = "Permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = infer.transpose %x {perm = array<i64: 0, 2, 1, 3>}
        : (tensor<1x128x8x64xf32>) -> tensor<1x8x128x64xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Infer_ConcatOp : Infer_Op<"concat",
    [Pure, SameOperandsAndResultElementType, Infer_ShapeInference]> {
  let summary = "Concatenate tensors along an axis";
  let description = [{
    All inputs have the same rank and agree on every dimension but `axis`.

    ```mlir
    %y = infer.concat %a, %b {axis = 1 : i64}
        : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
    ```
  }];
  let arguments = (ins Variadic<Infer_Tensor>:$inputs, Infer_I64Attr:$axis);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_SliceOp : Infer_Op<"slice", [Pure, Infer_ShapeInference]> {
  let summary = "Strided slice with ONNX semantics";
  let description = [{
    ONNX `Slice` with constant `starts`, `ends`, `axes` (default: the first
    `len(starts)` axes) and `steps` (default 1). Negative indices count from
    the back and out-of-range indices clamp, so `ends = [INT64_MAX]` means
    "to the end". Steps may be negative.

    ```mlir
    %y = infer.slice %x {starts = array<i64: 1>, ends = array<i64: 3>,
                         axes = array<i64: 1>}
        : (tensor<2x4xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input,
                       DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       OptionalAttr<DenseI64ArrayAttr>:$steps);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_PadOp : Infer_Op<"pad", [Pure, Infer_ShapeInference]> {
  let summary = "Pad with a constant, by reflection or by edge replication";
  let description = [{
    ONNX `Pad` with constant, non-negative `pads = [b0, b1, ..., e0, e1, ...]`
    (all begins, then all ends). `mode` is `"constant"` (with `value`),
    `"reflect"` or `"edge"`.

    ```mlir
    %y = infer.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
        : (tensor<1x3x32x32xf32>) -> tensor<1x3x34x34xf32>
    ```
  }];
  let arguments = (ins Infer_NumericTensor:$input,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode,
                       DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_GatherOp : Infer_Op<"gather", [Pure, Infer_ShapeInference]> {
  let summary = "Gather slices along an axis by index (embedding lookup)";
  let description = [{
    ONNX `Gather`: the result shape is
    `data.shape[:axis] + indices.shape + data.shape[axis+1:]`. Negative
    indices count from the back of the gathered axis.

    ```mlir
    %e = infer.gather %table, %ids {axis = 0 : i64}
        : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$data, Infer_IndexTensor:$indices,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$axis);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Infer_SqueezeOp : Infer_Op<"squeeze", [Pure, Infer_ShapeInference]> {
  let summary = "Remove dimensions of size 1";
  let description = [{
    Removes the listed `axes`, which must have size 1; with no `axes`, every
    static dimension of size 1.

    ```mlir
    %y = infer.squeeze %x {axes = array<i64: 2, 3>}
        : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_UnsqueezeOp : Infer_Op<"unsqueeze", [Pure, Infer_ShapeInference]> {
  let summary = "Insert dimensions of size 1";
  let description = [{
    `axes` index the result (negative ones count from its back).

    ```mlir
    %y = infer.unsqueeze %x {axes = array<i64: 0>}
        : (tensor<3xf32>) -> tensor<1x3xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_ExpandOp : Infer_Op<"expand", [Pure, Infer_ShapeInference]> {
  let summary = "Broadcast to a shape";
  let description = [{
    ONNX `Expand`: the result shape is the numpy broadcast of the input shape
    and `shape`.

    ```mlir
    %y = infer.expand %x {shape = array<i64: 4, 3>}
        : (tensor<1x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Infer_CastOp : Infer_Op<"cast", [Pure]> {
  let summary = "Convert the element type";
  let description = [{
    ONNX `Cast` between float and signless integer element types (float to
    integer rounds toward zero). The shape is unchanged.

    ```mlir
    %y = infer.cast %x : tensor<4xf32> -> tensor<4xf16>
    ```
  }];
  let arguments = (ins Infer_NumericTensor:$input);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def Infer_QuantizeOp : Infer_Op<"quantize", [Pure]> {
  let summary = "Quantize a float tensor to a `!quant.uniform` tensor";
  let description = [{
    `q = clamp(round(x / scale) + zero_point)` with the scale and zero point
    of the result's `!quant.uniform` element type, per tensor or per axis.
    The expressed type of the quantized type must be the input element type.

    ```mlir
    %q = infer.quantize %x : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input);
  let results = (outs Infer_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Infer_DequantizeOp : Infer_Op<"dequantize", [Pure]> {
  let summary = "Dequantize a `!quant.uniform` tensor to float";
  let description = [{
    `x = (q - zero_point) * scale`, per tensor or per axis.

    ```mlir
    %x = infer.dequantize %q : tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Infer_QuantizedTensor:$input);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}


//===----------------------------------------------------------------------===//
// Indexed reads and writes
//===----------------------------------------------------------------------===//

def Infer_GatherElementsOp : Infer_Op<"gather_elements",
    [Pure, Infer_ShapeInference]> {
  let summary = "Gather single elements along an axis (ONNX GatherElements)";
  let description = [{
    `out[i0, ..., ik, ...] = data[i0, ..., indices[i0, ..., ik, ...], ...]`
    with the index replacing position `axis`; the result has the shape of
    `indices`. Negative indices count from the back of the axis.

    ```mlir
    %g = infer.gather_elements %x, %i {axis = 1 : i64}
        : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$data, Infer_IndexTensor:$indices,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$axis);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Infer_GatherNDOp : Infer_Op<"gather_nd", [Pure, Infer_ShapeInference]> {
  let summary = "Gather slices by index tuples (ONNX GatherND)";
  let description = [{
    The last dimension of `indices` (static, at most the rank of `data` less
    `batch_dims`) holds index tuples into `data`'s dimensions after the
    first `batch_dims`, which `data` and `indices` share. The result shape is
    `indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:]`.

    ```mlir
    %g = infer.gather_nd %x, %i : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$data, Infer_IndexTensor:$indices,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$batch_dims);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Infer_ScatterElementsOp : Infer_Op<"scatter_elements",
    [Pure, AllTypesMatch<["data", "output"]>, AllShapesMatch<["indices", "updates"]>]> {
  let summary = "Write single elements along an axis (ONNX ScatterElements)";
  let description = [{
    A copy of `data` where, for every position `p` of `indices`,
    `out[p with p[axis] = indices[p]] = updates[p]`, or combined with the
    element there by `reduction` (`add`, `mul`, `max`, `min`). Updates apply
    in row-major order of `indices`.

    ```mlir
    %s = infer.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"}
        : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Infer_NumericTensor:$data, Infer_IndexTensor:$indices,
                       Infer_NumericTensor:$updates,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Infer_ScatterNDOp : Infer_Op<"scatter_nd",
    [Pure, AllTypesMatch<["data", "output"]>]> {
  let summary = "Write slices at index tuples (ONNX ScatterND)";
  let description = [{
    A copy of `data` where the slice at each index tuple (last dimension of
    `indices`) is replaced by, or combined by `reduction` with, the
    matching slice of `updates`, whose shape is
    `indices.shape[:-1] + data.shape[indices.shape[-1]:]`.

    ```mlir
    %s = infer.scatter_nd %x, %i, %u
        : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Infer_NumericTensor:$data, Infer_IndexTensor:$indices,
                       Infer_NumericTensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Infer_NumericTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Infer_TriluOp : Infer_Op<"trilu", [Pure, SameOperandsAndResultType]> {
  let summary = "Upper or lower triangle of the last two dimensions";
  let description = [{
    ONNX `Trilu`: keeps the elements on and above (`upper`) or on and below
    the `k`-th diagonal of each matrix of the two last dimensions; the others
    become zero.

    ```mlir
    %u = infer.trilu %x {k = 1 : i64, upper = true} : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Infer_Tensor:$input,
                       DefaultValuedAttr<Infer_I64Attr, "0">:$k,
                       DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs Infer_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Resampling and transposed convolution
//===----------------------------------------------------------------------===//

def Infer_ResizeOp : Infer_Op<"resize", [Pure]> {
  let summary = "Resample by interpolation (ONNX Resize)";
  let description = [{
    Each output coordinate `x_out` of dimension `d` maps to an input
    coordinate by `coordinate_transformation_mode` (`half_pixel`,
    `half_pixel_symmetric`, `pytorch_half_pixel`, `align_corners`,
    `asymmetric`, `tf_half_pixel_for_nn`, `tf_crop_and_resize` with `roi`)
    and `scales[d]` (with the output length taken as `scales[d]` times the
    input's, as ONNX's reference does); the
    value there is interpolated by `mode`: `nearest` (rounded by
    `nearest_mode`), `linear` or `cubic` (`cubic_coeff_a`,
    `exclude_outside`), separably per dimension. Coordinates outside the
    input read the border, or `extrapolation_value` for
    `tf_crop_and_resize`. The output sizes are the result type's; a dynamic
    one is `floor(input size * scale)`.

    ```mlir
    %y = infer.resize %x {mode = "nearest", scales = array<f32: 1.0, 1.0, 2.0, 2.0>}
        : (tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input,
                       DenseF32ArrayAttr:$scales,
                       DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode,
                       DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value,
                       DefaultValuedAttr<DenseF32ArrayAttr, "{}">:$roi);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Infer_ConvTransposeOp : Infer_Op<"conv_transpose",
    [Pure, Infer_ShapeInference]> {
  let summary = "2-D transposed convolution (ONNX ConvTranspose)";
  let description = [{
    The gradient of `infer.conv2d` with respect to its input, NCHW (or NHWC
    with `layout = #infer<layout nhwc>`, the result following). `weight`
    is `C x F/group x KH x KW`; the optional `bias` has `F` elements. Each
    spatial output size is
    `stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pad_begin - pad_end`;
    `pads` is `[top, left, bottom, right]`.

    ```mlir
    %y = infer.conv_transpose %x, %w {strides = array<i64: 2, 2>}
        : (tensor<1x8x5x5xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x10x10xf32>
    ```
  }];
  let arguments = (ins Infer_FloatTensor:$input,
                       Infer_FloatTensor:$weight,
                       Optional<Infer_FloatTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$output_padding,
                       DefaultValuedAttr<Infer_I64Attr, "1">:$group,
                       DefaultValuedAttr<Infer_LayoutAttr, "::mlir::infer::Layout::NCHW">:$layout);
  let results = (outs Infer_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // INFER_DIALECT_INFER_IR_INFEROPS_TD
