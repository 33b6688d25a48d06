// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file | FileCheck %s
// Comparisons, selection, indexed reads and writes, scans, arg reductions,
// resize and transposed convolution in linalg (and scf where writes depend
// on data).

// CHECK-LABEL: func.func @where
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>)
// CHECK: arith.select %{{.+}}, %{{.+}}, %{{.+}} : f32
func.func @where(%c: tensor<2x3xi1>, %x: tensor<2x3xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %0 = infer.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @less
// CHECK: outs(%{{.+}} : tensor<2x3xi1>)
// CHECK: arith.cmpf olt
// CHECK: linalg.yield %{{.+}} : i1
func.func @less(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xi1> {
  %0 = infer.less %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// Python's remainder for integers: the divisor's sign.
// CHECK-LABEL: func.func @mod
// CHECK: %[[R:.+]] = arith.remsi
// CHECK: %[[FIX:.+]] = arith.andi
// CHECK: %[[ADD:.+]] = arith.addi %[[R]]
// CHECK: arith.select %[[FIX]], %[[ADD]], %[[R]] : i32
func.func @mod(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %0 = infer.mod %x, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>, %[[I:.+]]: tensor<3x2xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<3x2xi64>) outs(%{{.+}} : tensor<3x2xf32>)
// CHECK: %[[ROW:.+]] = linalg.index 0
// CHECK: %[[IDX:.+]] = arith.select
// CHECK: tensor.extract %[[X]][%[[ROW]], %[[IDX]]]
func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = infer.gather_elements %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @gather_nd
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<2x3xf32>)
// CHECK-COUNT-2: tensor.extract %{{.+}} : tensor<2x2xi64>
// CHECK: tensor.extract %{{.+}} : tensor<4x5x3xf32>
func.func @gather_nd(%x: tensor<4x5x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x3xf32> {
  %0 = infer.gather_nd %x, %i : (tensor<4x5x3xf32>, tensor<2x2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Updates apply in order: a loop nest over the indices carries the tensor.
// CHECK-LABEL: func.func @scatter_elements
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>
// CHECK: scf.for %[[R:.+]] = {{.*}} iter_args(%{{.+}} = %[[X]])
// CHECK: scf.for %{{.+}} = {{.*}} iter_args(%[[T:.+]] = %{{.+}})
// CHECK: %[[OLD:.+]] = tensor.extract %[[T]][%[[R]], %[[C:.+]]] : tensor<3x4xf32>
// CHECK: %[[NEW:.+]] = arith.addf %[[OLD]]
// CHECK: tensor.insert %[[NEW]] into %[[T]][%[[R]], %[[C]]]
func.func @scatter_elements(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %0 = infer.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_nd
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.insert %{{.+}} into %{{.+}} : tensor<4x3xf32>
func.func @scatter_nd(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = infer.scatter_nd %x, %i, %u : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: %[[D:.+]] = arith.subi
// CHECK: %[[K:.+]] = arith.constant 1 : i64
// CHECK: %[[KEEP:.+]] = arith.cmpi sle, %[[D]], %[[K]]
// CHECK: arith.select %[[KEEP]]
func.func @trilu(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = infer.trilu %x {k = 1 : i64, upper = false} : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// The exclusive sum writes the running sum before adding the slice, which
// updates the loop's own buffer.
// CHECK-LABEL: func.func @cumsum
// CHECK: scf.for %[[K:.+]] = {{.*}} iter_args(%[[OUT:.+]] = %{{.+}}, %[[ACC:.+]] = %{{.+}}) -> (tensor<2x5xf32>, tensor<2xf32>)
// CHECK: %[[X:.+]] = tensor.extract_slice %{{.+}}[0, %[[K]]] [2, 1] [1, 1]
// CHECK: %[[W:.+]] = tensor.insert_slice %[[ACC]] into %[[OUT]][0, %[[K]]]
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2xf32>) outs(%[[ACC]] : tensor<2xf32>)
// CHECK: scf.yield %[[W]], %[[SUM]]
func.func @cumsum(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = infer.cumsum %x {axis = 1 : i64, exclusive = true} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @arg_max
// CHECK: %{{.+}}:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, i64
func.func @arg_max(%x: tensor<2x10xf32>) -> tensor<2xi64> {
  %0 = infer.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<2x10xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// One pass per resized dimension, two taps each for linear.
// CHECK-LABEL: func.func @resize
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x3x16x8xf32>)
// CHECK-COUNT-2: tensor.extract %{{.+}} : tensor<1x3x8x8xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x3x16x16xf32>)
// CHECK-COUNT-2: tensor.extract %{{.+}} : tensor<1x3x16x8xf32>
func.func @resize(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32> {
  %0 = infer.resize %x {mode = "linear", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32>
  return %0 : tensor<1x3x16x16xf32>
}

// -----

// Spread by the strides, padded by the kernel extent, and a stride-1
// convolution with the flipped weight.
// The flip is an affine read (group 1 of 4 x 8 channels).
// CHECK-DAG: #[[$FLIP:.+]] = affine_map<(d0, d1, d2, d3) -> ((d0 floordiv 4) * 8 + d1, d0 mod 4, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0, 0] [1, 8, 5, 5] [1, 1, 2, 2] : tensor<1x8x5x5xf32> into tensor<1x8x9x9xf32>
// CHECK: tensor.pad %{{.+}} low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[$FLIP]], {{.*}} outs(%{{.+}} : tensor<4x8x3x3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.+}}, %{{.+}} : tensor<1x8x13x13xf32>, tensor<4x8x3x3xf32>)
func.func @conv_transpose(%x: tensor<1x8x5x5xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x4x11x11xf32> {
  %0 = infer.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x8x5x5xf32>, tensor<8x4x3x3xf32>) -> tensor<1x4x11x11xf32>
  return %0 : tensor<1x4x11x11xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: %[[S:.+]] = arith.subf
// CHECK: %[[L:.+]] = math.log
// CHECK: arith.subf %[[S]], %[[L]]
func.func @log_softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = infer.log_softmax %x {axis = 1 : i64} : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_min
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.minimumf
func.func @reduce_min(%x: tensor<2x10xf32>) -> tensor<2xf32> {
  %0 = infer.reduce_min %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x10xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Unsigned integers are stored signless and keep their unsigned semantics.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{.+}}: tensor<4xi8>, %{{.+}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xf32>)
// CHECK: arith.divui
// CHECK: arith.cmpi ult
// CHECK: %[[SHR:.+]] = arith.shrui
// CHECK: %[[FAR:.+]] = arith.cmpi uge
// CHECK: arith.select %[[FAR]], %{{.+}}, %[[SHR]]
// CHECK: arith.uitofp %{{.+}} : i8 to f32
func.func @unsigned(%x: tensor<4xui8>, %y: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xf32>) {
  %0 = infer.div %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = infer.less %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %2 = infer.bit_shift %x, %y {direction = "right"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = infer.cast %x : tensor<4xui8> -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xf32>
}

// -----

// Shapes read at run time: tensor.dim for dynamic dimensions; a reshape to
// two dynamic sizes goes through tensor.reshape.
// CHECK-LABEL: func.func @runtime_shape
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x4x?xf32>)
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x4x?xf32>
// CHECK: %[[N64:.+]] = arith.index_cast %[[N]] : index to i64
// CHECK: tensor.from_elements %[[N64]] : tensor<1xi64>
// CHECK: tensor.extract %{{.+}}[%{{.+}}] : tensor<3xi64>
// CHECK: %[[SIZES:.+]] = tensor.from_elements %{{.+}}, %{{.+}}, %{{.+}} : tensor<3xindex>
// CHECK: tensor.reshape %{{.+}}(%[[SIZES]]) : (tensor<?xf32>, tensor<3xindex>) -> tensor<?x?x4xf32>
func.func @runtime_shape(%x: tensor<?x3x4x?xf32>) -> tensor<?x?x4xf32> {
  %s = infer.shape %x {start = 0 : i64, end = 1 : i64} : (tensor<?x3x4x?xf32>) -> tensor<1xi64>
  %c = infer.constant dense<[-1, 4]> : tensor<2xi64>
  %t = infer.concat %s, %c {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %y = infer.dynamic_reshape %x, %t : (tensor<?x3x4x?xf32>, tensor<3xi64>) -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}

// -----

// An unsigned constant keeps its bytes as a signless one.
// CHECK-LABEL: func.func @unsigned_constant
// CHECK: arith.constant dense<[1, -56]> : tensor<2xi8>
// CHECK: arith.maxui
func.func @unsigned_constant(%x: tensor<2xui8>) -> tensor<2xui8> {
  %c = infer.constant dense<[1, 200]> : tensor<2xui8>
  %0 = infer.max %x, %c : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// Non-overlapping windows (stride = kernel): one matrix product of the
// pixels by the weight's (KH KW F) columns, whose rows are interleaved into
// the output; no spread input.
// CHECK-LABEL: func.func @conv_transpose_upsample
// CHECK-NOT: tensor.insert_slice
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<30x8xf32>, tensor<8x16xf32>)
// CHECK: linalg.transpose ins(%{{.+}} : tensor<1x5x6x2x2x4xf32>) outs(%{{.+}} : tensor<1x5x2x6x2x4xf32>) permutation = [0, 1, 3, 2, 4, 5]
// CHECK: linalg.transpose ins(%{{.+}} : tensor<1x10x12x4xf32>) outs(%{{.+}} : tensor<1x4x10x12xf32>)
func.func @conv_transpose_upsample(%x: tensor<1x8x5x6xf32>, %w: tensor<8x4x2x2xf32>, %b: tensor<4xf32>) -> tensor<1x4x10x12xf32> {
  %0 = infer.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<1x8x5x6xf32>, tensor<8x4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x10x12xf32>
  return %0 : tensor<1x4x10x12xf32>
}
