// Normalizations and softmax against float64 numpy.
// RUN: %python %S/Inputs/check.py %s batch_norm_dynamic
// RUN: %python %S/Inputs/check.py %s layer_norm_last
// RUN: %python %S/Inputs/check.py %s layer_norm_axis1
// RUN: %python %S/Inputs/check.py %s softmax_last
// RUN: %python %S/Inputs/check.py %s softmax_axis0

func.func @batch_norm_dynamic(%x: tensor<?x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3x4x5xf32> {
  %0 = infer.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<?x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x4x5xf32>
  return %0 : tensor<?x3x4x5xf32>
}

func.func @layer_norm_last(%x: tensor<2x5x24xf32>, %s: tensor<24xf32>, %b: tensor<24xf32>) -> tensor<2x5x24xf32> {
  %0 = infer.layer_norm %x, %s, %b : (tensor<2x5x24xf32>, tensor<24xf32>, tensor<24xf32>) -> tensor<2x5x24xf32>
  return %0 : tensor<2x5x24xf32>
}

// Normalizes over the last two dimensions; the scale broadcasts over them.
func.func @layer_norm_axis1(%x: tensor<3x4x6xf32>, %s: tensor<6xf32>) -> tensor<3x4x6xf32> {
  %0 = infer.layer_norm %x, %s {axis = 1 : i64, epsilon = 1.0e-3 : f32} : (tensor<3x4x6xf32>, tensor<6xf32>) -> tensor<3x4x6xf32>
  return %0 : tensor<3x4x6xf32>
}

func.func @softmax_last(%x: tensor<3x19xf32>) -> tensor<3x19xf32> {
  %0 = infer.softmax %x : tensor<3x19xf32>
  return %0 : tensor<3x19xf32>
}

func.func @softmax_axis0(%x: tensor<5x2x3xf32>) -> tensor<5x2x3xf32> {
  %0 = infer.softmax %x {axis = 0 : i64} : tensor<5x2x3xf32>
  return %0 : tensor<5x2x3xf32>
}
