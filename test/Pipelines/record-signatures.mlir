// RUN: infer-opt %s --infer-record-signatures | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.+}}: tensor<?x3xf32>, %{{.+}}: tensor<3xi64>)
// CHECK-SAME: attributes {infer.input_names = ["pixels", "input1"], infer.signature = (tensor<?x3xf32>, tensor<3xi64>) -> tensor<?x3xf32>}
func.func @main(%x: tensor<?x3xf32> {infer.name = "pixels"}, %i: tensor<3xi64>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}

// Private functions are not an interface.
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: infer.signature
func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
