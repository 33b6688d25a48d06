// RUN: infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/calibration.json" | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/calibration.json report=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/calibration-decisions.json report=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DECIDE
// RUN: infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/calibration.json only=conv2 report=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONLY
// RUN: not infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/bad-decision.json" 2>&1 | FileCheck %s --check-prefix=DECISION
// RUN: not infer-opt %s --split-input-file --infer-quantize 2>&1 | FileCheck %s --check-prefix=NOTABLE
// RUN: not infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/not-a-table.json" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not infer-opt %s --split-input-file --infer-quantize="calibration=%S/Inputs/bad-entry.json" 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: not infer-opt %s --split-input-file --infer-quantize="calibration=%S/quantize.mlir" 2>&1 | FileCheck %s --check-prefix=JSON

// The table's fp32 decisions (the sensitivity analysis's) keep a layer in
// fp32 and say why; only= quantizes the named nodes alone.
// DECIDE: remark: {{.*}}infer-quantize: infer.conv2d 'conv1': int8:
// DECIDE: remark: {{.*}}infer-quantize: infer.conv2d 'conv2': stays fp32: the table's decision: sensitivity 0.2 over the budget 0.01
// ONLY: remark: {{.*}}infer-quantize: infer.conv2d 'conv1': stays fp32: not among the only= nodes
// ONLY: remark: {{.*}}infer-quantize: infer.conv2d 'conv2': int8:
// DECISION: error: infer-quantize: the fp32 decision of 'conv2' in '{{.*}}bad-decision.json' is not a string
// NOTABLE: error: infer-quantize needs a calibration table (calibration=FILE, from infer-calibrate)
// MISSING: error: infer-quantize: cannot read the calibration table '{{.*}}missing.json'
// FORMAT: error: infer-quantize: '{{.*}}not-a-table.json' is not a calibration table of infer-calibrate
// ENTRY: error: infer-quantize: the entry 'x' of '{{.*}}bad-entry.json' lacks min, max or a valid asymmetric scale and zero point
// JSON: error: infer-quantize: '{{.*}}quantize.mlir' is not JSON

// conv1 -> relu1 -> conv2, and a residual add of both: the input and both
// convolutions become int8 (uint8 activations, per-channel int8 weights);
// relu1 is absorbed (conv1 takes its range, zero point 0); the add of two
// int8 values runs in int8 with its own range; one quantize at the input,
// one dequantize at the output.
// REPORT: remark: {{.*}}infer-quantize: infer.conv2d 'conv1': int8: input scale 7.843100e-03 zero point 128, output scale 1.960800e-02 zero point 0 (with its relu), 2 weight scales
// REPORT: remark: {{.*}}infer-quantize: infer.conv2d 'conv2': int8: input scale 1.960800e-02 zero point 0, output scale 1.568600e-02 zero point 128, 2 weight scales; est. speed-up 4.0x (cost model)
// REPORT: remark: {{.*}}infer-quantize: 2 of 2 convolutions and contractions in int8; 1 quantize and 1 dequantize ops at the borders
// An op without a calibrated output stays fp32, and says so (the second
// function).
// REPORT: remark: {{.*}}infer-quantize: infer.conv2d 'unknown': stays fp32: the output has no calibration entry (unknown)
// REPORT: remark: {{.*}}infer-quantize: 0 of 1 convolutions and contractions in int8; 0 quantize and 0 dequantize ops at the borders
// CHECK-LABEL: func.func @block
// CHECK: %[[X:.+]] = infer.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 7.843100e-03:128>>
// CHECK: %[[W1:.+]] = infer.quantize %{{.+}} : tensor<2x2x1x1xf32> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.0078740157480314959}>>
// CHECK: %[[C1:.+]] = infer.conv2d %[[X]], %[[W1]], %{{.+}} : {{.+}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.960800e-02>>
// CHECK-NOT: infer.relu
// CHECK: %[[C2:.+]] = infer.conv2d %[[C1]], %{{.+}} : {{.+}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.568600e-02:128>>
// CHECK: %[[S:.+]] = infer.add %[[C1]], %[[C2]] : {{.+}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 3.921600e-02:102>>
// CHECK: %[[Y:.+]] = infer.dequantize %[[S]]
// CHECK: return %[[Y]]
func.func @block(%x: tensor<1x2x4x4xf32> {infer.name = "x"}) -> tensor<1x2x4x4xf32> {
  %w1 = infer.constant dense<[[[[2.0]], [[-1.0]]], [[[0.5]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %b1 = infer.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c1 = infer.conv2d %x, %w1, %b1 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("conv1")
  %r1 = infer.relu %c1 : tensor<1x2x4x4xf32> loc("relu1")
  %w2 = infer.constant dense<[[[[1.0]], [[0.25]]], [[[-0.5]], [[0.75]]]]> : tensor<2x2x1x1xf32>
  %c2 = infer.conv2d %r1, %w2 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("conv2")
  %s = infer.add %r1, %c2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> loc("sum")
  return %s : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @uncalibrated
// CHECK-NOT: infer.quantize
// CHECK: infer.conv2d %arg0, %{{.+}} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
func.func @uncalibrated(%x: tensor<1x2x4x4xf32> {infer.name = "x"}) -> tensor<1x2x4x4xf32> {
  %w = infer.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = infer.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> loc("unknown")
  return %c : tensor<1x2x4x4xf32>
}

// -----

// A 3x3 window over one input channel: the int8 kernel would read an im2col
// copy of single-byte taps that costs more than the faster products save,
// by the cost model: it stays fp32.
// REPORT: remark: {{.*}}infer-quantize: infer.conv2d 'conv2': stays fp32: int8 is not faster by the cost model (est. {{[0-9]+}} vs {{[0-9]+}} kcycles f32: its im2col copy of {{[0-9]+}} kB outweighs the faster products)
// CHECK-LABEL: func.func @one_channel
// CHECK-NOT: infer.quantize
func.func @one_channel(%x: tensor<1x1x32x32xf32> {infer.name = "x"}) -> tensor<1x4x30x30xf32> {
  %w = infer.constant dense<0.5> : tensor<4x1x3x3xf32>
  %c = infer.conv2d %x, %w : (tensor<1x1x32x32xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x30x30xf32> loc("conv2")
  return %c : tensor<1x4x30x30xf32>
}
