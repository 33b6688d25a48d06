// RUN: infer-opt %s | FileCheck %s
// Round trip: print, parse the output again, print: the two must agree.
// RUN: infer-opt %s | infer-opt | FileCheck %s
// RUN: infer-opt %s --mlir-print-op-generic | infer-opt | FileCheck %s

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2x2xf32>, tensor<3xi64>, tensor<4x4xf32>) {
  // CHECK: infer.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = infer.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: infer.constant dense<[1, 2, 3]> : tensor<3xi64>
  %1 = infer.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: infer.constant dense_resource<weights> : tensor<4x4xf32>
  %2 = infer.constant dense_resource<weights> : tensor<4x4xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<3xi64>, tensor<4x4xf32>
}

// CHECK-LABEL: func.func @conv2d
func.func @conv2d(%x: tensor<?x3x224x224xf32>, %w: tensor<64x3x7x7xf32>,
                  %b: tensor<64xf32>, %dw: tensor<64x1x3x3xf32>)
    -> (tensor<?x64x112x112xf32>, tensor<?x64x112x112xf32>) {
  // CHECK: infer.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<?x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<?x64x112x112xf32>
  %0 = infer.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>}
      : (tensor<?x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<?x64x112x112xf32>
  // Depthwise, dilated.
  // CHECK: infer.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, group = 64 : i64, pads = array<i64: 2, 2, 2, 2>}
  %1 = infer.conv2d %0, %dw {group = 64 : i64, dilations = array<i64: 2, 2>, pads = array<i64: 2, 2, 2, 2>}
      : (tensor<?x64x112x112xf32>, tensor<64x1x3x3xf32>) -> tensor<?x64x112x112xf32>
  return %0, %1 : tensor<?x64x112x112xf32>, tensor<?x64x112x112xf32>
}

// CHECK-LABEL: func.func @conv2d_int8
func.func @conv2d_int8(%x: tensor<1x8x4x4xi8>, %w: tensor<16x8x1x1xi8>) -> tensor<1x16x4x4xi32> {
  // CHECK: infer.conv2d {{.*}} : (tensor<1x8x4x4xi8>, tensor<16x8x1x1xi8>) -> tensor<1x16x4x4xi32>
  %0 = infer.conv2d %x, %w : (tensor<1x8x4x4xi8>, tensor<16x8x1x1xi8>) -> tensor<1x16x4x4xi32>
  return %0 : tensor<1x16x4x4xi32>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<?x128x64xf32>, %b: tensor<64x32xf32>, %v: tensor<64xf32>)
    -> (tensor<?x128x32xf32>, tensor<32xf32>) {
  // CHECK: infer.matmul %{{.*}}, %{{.*}} : (tensor<?x128x64xf32>, tensor<64x32xf32>) -> tensor<?x128x32xf32>
  %0 = infer.matmul %a, %b : (tensor<?x128x64xf32>, tensor<64x32xf32>) -> tensor<?x128x32xf32>
  // CHECK: infer.matmul %{{.*}}, %{{.*}} : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
  %1 = infer.matmul %v, %b : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
  return %0, %1 : tensor<?x128x32xf32>, tensor<32xf32>
}

// CHECK-LABEL: func.func @gemm
func.func @gemm(%x: tensor<1x512xf32>, %w: tensor<10x512xf32>, %b: tensor<10xf32>) -> (tensor<1x10xf32>, tensor<512x512xf32>) {
  // CHECK: infer.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, trans_b = true}
  %0 = infer.gemm %x, %w, %b {trans_b = true, alpha = 0.5 : f32}
      : (tensor<1x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  // CHECK: infer.gemm %{{.*}}, %{{.*}} {trans_a = true} : (tensor<1x512xf32>, tensor<1x512xf32>) -> tensor<512x512xf32>
  %1 = infer.gemm %x, %x {trans_a = true} : (tensor<1x512xf32>, tensor<1x512xf32>) -> tensor<512x512xf32>
  return %0, %1 : tensor<1x10xf32>, tensor<512x512xf32>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %i: tensor<4xi32>) {
  // CHECK: infer.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = infer.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.sub
  %1 = infer.sub %y, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.mul
  %2 = infer.mul %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.div
  %3 = infer.div %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.pow
  %4 = infer.pow %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.max
  %5 = infer.max %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.min
  %6 = infer.min %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: infer.add %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %7 = infer.add %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<1x8xf32>, %i: tensor<4xi8>) {
  // CHECK: infer.sqrt %{{.*}} : tensor<1x8xf32>
  %0 = infer.sqrt %x : tensor<1x8xf32>
  // CHECK: infer.exp
  %1 = infer.exp %x : tensor<1x8xf32>
  // CHECK: infer.log
  %2 = infer.log %x : tensor<1x8xf32>
  // CHECK: infer.neg
  %3 = infer.neg %x : tensor<1x8xf32>
  // CHECK: infer.abs %{{.*}} : tensor<4xi8>
  %4 = infer.abs %i : tensor<4xi8>
  // CHECK: infer.erf
  %5 = infer.erf %x : tensor<1x8xf32>
  // CHECK: infer.tanh
  %6 = infer.tanh %x : tensor<1x8xf32>
  // CHECK: infer.sigmoid
  %7 = infer.sigmoid %x : tensor<1x8xf32>
  // CHECK: infer.relu
  %8 = infer.relu %x : tensor<1x8xf32>
  // CHECK: infer.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<1x8xf32>
  %9 = infer.leaky_relu %x {alpha = 0.1 : f32} : tensor<1x8xf32>
  // CHECK: infer.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
  %10 = infer.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8xf32>
  // CHECK: infer.clip %{{.*}} {max = 1.000000e+00 : f32} : tensor<1x8xf32>
  %11 = infer.clip %x {max = 1.0 : f32} : tensor<1x8xf32>
  // CHECK: infer.gelu %{{.*}} : tensor<1x8xf32>
  %12 = infer.gelu %x : tensor<1x8xf32>
  // CHECK: infer.gelu %{{.*}} {approximate = "tanh"} : tensor<1x8xf32>
  %13 = infer.gelu %x {approximate = "tanh"} : tensor<1x8xf32>
  // CHECK: infer.silu
  %14 = infer.silu %x : tensor<1x8xf32>
  // CHECK: infer.hard_sigmoid %{{.*}} {alpha = 0.166666672 : f32} : tensor<1x8xf32>
  %15 = infer.hard_sigmoid %x {alpha = 0.166666672 : f32} : tensor<1x8xf32>
  // CHECK: infer.hard_swish
  %16 = infer.hard_swish %x : tensor<1x8xf32>
  return
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<?x64x56x56xf32>, %c: tensor<64xf32>,
                         %t: tensor<1x128x256xf32>, %g: tensor<256xf32>) {
  // CHECK: infer.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32}
  %0 = infer.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f32}
      : (tensor<?x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64x56x56xf32>
  // CHECK: infer.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x128x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<1x128x256xf32>
  %1 = infer.layer_norm %t, %g, %g : (tensor<1x128x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<1x128x256xf32>
  // CHECK: infer.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x128x256xf32>, tensor<256xf32>) -> tensor<1x128x256xf32>
  %2 = infer.layer_norm %t, %g {axis = 1 : i64} : (tensor<1x128x256xf32>, tensor<256xf32>) -> tensor<1x128x256xf32>
  // CHECK: infer.softmax %{{.*}} {axis = 1 : i64} : tensor<1x128x256xf32>
  %3 = infer.softmax %t {axis = 1 : i64} : tensor<1x128x256xf32>
  return
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x64x112x112xf32>) {
  // CHECK: infer.max_pool %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %0 = infer.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: infer.max_pool %{{.*}} {ceil_mode = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %1 = infer.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: infer.avg_pool %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %2 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, count_include_pad = true}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: infer.global_avg_pool %{{.*}} : (tensor<1x64x112x112xf32>) -> tensor<1x64x1x1xf32>
  %3 = infer.global_avg_pool %x : (tensor<1x64x112x112xf32>) -> tensor<1x64x1x1xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: infer.reduce_sum %{{.*}} {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %0 = infer.reduce_sum %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  // CHECK: infer.reduce_mean %{{.*}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = infer.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: infer.reduce_max %{{.*}} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %2 = infer.reduce_max %x : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<?x512x1x1xf32>, %t: tensor<1x128x8x64xf32>,
                  %a: tensor<1x64x28x28xf32>, %b: tensor<1x32x28x28xf32>,
                  %table: tensor<1000x64xf32>, %ids: tensor<1x16xi64>,
                  %v: tensor<3xf32>) {
  // CHECK: infer.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  %0 = infer.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  // CHECK: infer.flatten %{{.*}} : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  %1 = infer.flatten %x : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  // CHECK: infer.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x8x64xf32>) -> tensor<1x8x128x64xf32>
  %2 = infer.transpose %t {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x8x64xf32>) -> tensor<1x8x128x64xf32>
  // CHECK: infer.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  %3 = infer.concat %a, %b {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  // CHECK: infer.slice %{{.*}} {axes = array<i64: 1>, ends = array<i64: 40>, starts = array<i64: 8>, steps = array<i64: 2>} : (tensor<1x64x28x28xf32>) -> tensor<1x16x28x28xf32>
  %4 = infer.slice %a {starts = array<i64: 8>, ends = array<i64: 40>, axes = array<i64: 1>, steps = array<i64: 2>}
      : (tensor<1x64x28x28xf32>) -> tensor<1x16x28x28xf32>
  // CHECK: infer.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x64x28x28xf32>) -> tensor<1x64x30x30xf32>
  %5 = infer.pad %a {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"}
      : (tensor<1x64x28x28xf32>) -> tensor<1x64x30x30xf32>
  // CHECK: infer.pad %{{.*}} {pads = array<i64: 1, 0>, value = -1.000000e+00 : f32} : (tensor<3xf32>) -> tensor<4xf32>
  %6 = infer.pad %v {pads = array<i64: 1, 0>, value = -1.0 : f32} : (tensor<3xf32>) -> tensor<4xf32>
  // CHECK: infer.gather %{{.*}}, %{{.*}} : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
  %7 = infer.gather %table, %ids : (tensor<1000x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
  // CHECK: infer.squeeze %{{.*}} {axes = array<i64: 2, 3>} : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  %8 = infer.squeeze %x {axes = array<i64: 2, 3>} : (tensor<?x512x1x1xf32>) -> tensor<?x512xf32>
  // CHECK: infer.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
  %9 = infer.unsqueeze %v {axes = array<i64: 0, -1>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
  // CHECK: infer.expand %{{.*}} {shape = array<i64: 4, 1>} : (tensor<3xf32>) -> tensor<4x3xf32>
  %10 = infer.expand %v {shape = array<i64: 4, 1>} : (tensor<3xf32>) -> tensor<4x3xf32>
  // CHECK: infer.cast %{{.*}} : tensor<3xf32> -> tensor<3xf16>
  %11 = infer.cast %v : tensor<3xf32> -> tensor<3xf16>
  return
}

// CHECK-LABEL: func.func @quantization
func.func @quantization(%x: tensor<1x64xf32>, %w: tensor<2x3xf32>) {
  // CHECK: infer.quantize %{{.*}} : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %0 = infer.quantize %x : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
  // CHECK: infer.dequantize %{{.*}} : tensor<1x64x!quant.uniform<i8:f32, 5.000000e-02:-3>> -> tensor<1x64xf32>
  %1 = infer.dequantize %0 : tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>> -> tensor<1x64xf32>
  // Per-axis (per output channel) weights.
  // CHECK: infer.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>
  %2 = infer.quantize %w : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  // CHECK: infer.matmul {{.*}} -> tensor<1x3xi32>
  %3 = infer.quantize %x : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 0.05>>
  %4 = infer.constant dense<1> : tensor<64x3xi8>
  %5 = infer.matmul %3, %4 : (tensor<1x64x!quant.uniform<i8:f32, 0.05>>, tensor<64x3xi8>) -> tensor<1x3xi32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
    }
  }
#-}
