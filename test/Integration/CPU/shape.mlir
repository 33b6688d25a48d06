// Shape and data-movement ops against numpy.
// RUN: %python %S/Inputs/check.py %s reshape_dynamic
// RUN: %python %S/Inputs/check.py %s flatten_axis2
// RUN: %python %S/Inputs/check.py %s transpose_0213
// RUN: %python %S/Inputs/check.py %s concat_three
// RUN: %python %S/Inputs/check.py %s concat_dynamic
// RUN: %python %S/Inputs/check.py %s slice_steps
// RUN: %python %S/Inputs/check.py %s pad_modes
// RUN: %python %S/Inputs/check.py %s gather_negative
// RUN: %python %S/Inputs/check.py %s gather_axis1
// RUN: %python %S/Inputs/check.py %s squeeze_unsqueeze
// RUN: %python %S/Inputs/check.py %s expand_rows
// RUN: %python %S/Inputs/check.py %s cast_types

func.func @reshape_dynamic(%x: tensor<?x4x2x2xf32>) -> tensor<?x16xf32> {
  %0 = infer.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x4x2x2xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

func.func @flatten_axis2(%x: tensor<2x3x4x5xf32>) -> tensor<6x20xf32> {
  %0 = infer.flatten %x {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  return %0 : tensor<6x20xf32>
}

func.func @transpose_0213(%x: tensor<2x3x4x5xf32>) -> tensor<2x4x3x5xf32> {
  %0 = infer.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x4x5xf32>) -> tensor<2x4x3x5xf32>
  return %0 : tensor<2x4x3x5xf32>
}

func.func @concat_three(%a: tensor<2x1x3xf32>, %b: tensor<2x4x3xf32>, %c: tensor<2x2x3xf32>) -> tensor<2x7x3xf32> {
  %0 = infer.concat %a, %b, %c {axis = 1 : i64} : (tensor<2x1x3xf32>, tensor<2x4x3xf32>, tensor<2x2x3xf32>) -> tensor<2x7x3xf32>
  return %0 : tensor<2x7x3xf32>
}

func.func @concat_dynamic(%a: tensor<?x2xf32>, %b: tensor<?x5xf32>) -> tensor<?x7xf32> {
  %0 = infer.concat %a, %b {axis = -1 : i64} : (tensor<?x2xf32>, tensor<?x5xf32>) -> tensor<?x7xf32>
  return %0 : tensor<?x7xf32>
}

func.func @slice_steps(%x: tensor<5x10xf32>) -> (tensor<3x4xf32>, tensor<5x5xf32>) {
  %0 = infer.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 4, 10>, steps = array<i64: 1, 3>} : (tensor<5x10xf32>) -> tensor<3x4xf32>
  %1 = infer.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, axes = array<i64: 1>, steps = array<i64: -2>} : (tensor<5x10xf32>) -> tensor<5x5xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<5x5xf32>
}

func.func @pad_modes(%x: tensor<2x5xf32>) -> (tensor<3x8xf32>, tensor<4x10xf32>, tensor<4x9xf32>) {
  %0 = infer.pad %x {pads = array<i64: 1, 2, 0, 1>, value = 1.5 : f32} : (tensor<2x5xf32>) -> tensor<3x8xf32>
  %1 = infer.pad %x {pads = array<i64: 1, 3, 1, 2>, mode = "reflect"} : (tensor<2x5xf32>) -> tensor<4x10xf32>
  %2 = infer.pad %x {pads = array<i64: 0, 1, 2, 3>, mode = "edge"} : (tensor<2x5xf32>) -> tensor<4x9xf32>
  return %0, %1, %2 : tensor<3x8xf32>, tensor<4x10xf32>, tensor<4x9xf32>
}

func.func @gather_negative(%d: tensor<6x4xf32>, %i: tensor<2x2xi64>) -> tensor<2x2x4xf32> {
  %0 = infer.gather %d, %i : (tensor<6x4xf32>, tensor<2x2xi64>) -> tensor<2x2x4xf32>
  return %0 : tensor<2x2x4xf32>
}

func.func @gather_axis1(%d: tensor<2x5x3xf32>, %i: tensor<2xi32>) -> tensor<2x2x3xf32> {
  %0 = infer.gather %d, %i {axis = 1 : i64} : (tensor<2x5x3xf32>, tensor<2xi32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

func.func @squeeze_unsqueeze(%x: tensor<1x3x1x2xf32>) -> (tensor<3x2xf32>, tensor<1x3x1x2x1xf32>, tensor<3x1x2xf32>) {
  %0 = infer.squeeze %x : (tensor<1x3x1x2xf32>) -> tensor<3x2xf32>
  %1 = infer.unsqueeze %x {axes = array<i64: -1>} : (tensor<1x3x1x2xf32>) -> tensor<1x3x1x2x1xf32>
  %2 = infer.squeeze %x {axes = array<i64: 0>} : (tensor<1x3x1x2xf32>) -> tensor<3x1x2xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<1x3x1x2x1xf32>, tensor<3x1x2xf32>
}

func.func @expand_rows(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = infer.expand %x {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

func.func @cast_types(%f: tensor<7xf32>, %i: tensor<7xi32>) -> (tensor<7xi32>, tensor<7xf32>, tensor<7xf16>, tensor<7xi8>) {
  %0 = infer.cast %f : tensor<7xf32> -> tensor<7xi32>
  %1 = infer.cast %i : tensor<7xi32> -> tensor<7xf32>
  %2 = infer.cast %f : tensor<7xf32> -> tensor<7xf16>
  %3 = infer.cast %i : tensor<7xi32> -> tensor<7xi8>
  return %0, %1, %2, %3 : tensor<7xi32>, tensor<7xf32>, tensor<7xf16>, tensor<7xi8>
}

// RUN: %python %S/Inputs/check.py %s slice_mixed_steps
// A reversed axis next to a cut one.
func.func @slice_mixed_steps(%x: tensor<2x3x4xf32>) -> tensor<2x2x2xf32> {
  %0 = infer.slice %x {starts = array<i64: 3, 0>, ends = array<i64: -5, 2>, axes = array<i64: 2, 1>, steps = array<i64: -2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// RUN: %python %S/Inputs/check.py %s slice_dynamic
// A dynamic dimension is clamped at run time (here 7 rows: 1..5 by 2).
func.func @slice_dynamic(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %0 = infer.slice %x {starts = array<i64: 1, 1>, ends = array<i64: -1, 100>, steps = array<i64: 2, 1>} : (tensor<?x3xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}
