// REQUIRES: numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(6, dtype=np.float32).reshape(2, 3)); np.save('%t/bad_shape.npy', np.zeros((3, 2), np.float32)); np.save('%t/bad_dtype.npy', np.zeros((2, 3), np.float64)); np.save('%t/ref.npy', np.arange(6, dtype=np.float32).reshape(2, 3) * 2); np.save('%t/off.npy', np.arange(6, dtype=np.float32).reshape(2, 3) * 2 + np.array([0, 0, 0, 0, 0.5, 0], np.float32).reshape(2, 3))"

// Results go to --output files in order; both are readable by numpy.
// RUN: infer-run %s -e double_and_sum --input %t/x.npy --output %t/y.npy --output %t/s.npy
// RUN: %python -c "import numpy as np; y = np.load('%t/y.npy'); s = np.load('%t/s.npy'); assert y.shape == (2, 3) and (y == np.arange(6).reshape(2, 3) * 2).all(), y; assert s.shape == (2,) and list(s) == [3.0, 12.0], s"

// Two results that are views of one buffer are freed once (repeated calls
// once crashed with a double free).
// RUN: infer-run %s -e two_views --input %t/x.npy --repeat 3 --output %t/v0.npy --output %t/v1.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/v0.npy'); b = np.load('%t/v1.npy'); assert a.shape == (1, 2, 3) and b.shape == (2, 1, 3) and (a.ravel() == b.ravel()).all()"

// --expect compares; a mismatch exits 1 and names the worst element.
// RUN: infer-run %s -e double --input %t/x.npy --expect %t/ref.npy | FileCheck %s --check-prefix=MATCH
// MATCH: infer-run: all 1 results match the references
// RUN: not infer-run %s -e double --input %t/x.npy --expect %t/off.npy 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: infer-run: result 0: 1 of 6 elements differ (rtol 1.000000e-05, atol 1.000000e-06); worst at [1, 1]: got 8.000000e+00, expected 8.500000e+00
// A looser tolerance accepts it.
// RUN: infer-run %s -e double --input %t/x.npy --expect %t/off.npy --atol 0.6

// Infinities equal to the reference match; NaN matches NaN.
// RUN: %python -c "import numpy as np; np.save('%t/big.npy', np.array([1000.0, -1000.0, 0.0], np.float32)); np.save('%t/exp_ref.npy', np.array([np.inf, 0.0, 1.0], np.float32))"
// RUN: infer-run %s -e exp --input %t/big.npy --expect %t/exp_ref.npy | FileCheck %s --check-prefix=MATCH

// --repeat prints the median time per call.
// RUN: infer-run %s -e double --input %t/x.npy --repeat 5 | FileCheck %s --check-prefix=TIME
// TIME: median_ms={{[0-9]+\.[0-9]+}}
// --warmup calls are not timed; --print-times lists the timed ones.
// RUN: infer-run %s -e double --input %t/x.npy --warmup 2 --repeat 3 --print-times | FileCheck %s --check-prefix=TIMES
// TIMES: median_ms={{[0-9]+\.[0-9]+}}
// TIMES-NEXT: times_ms={{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+}},{{[0-9]+\.[0-9]+$}}

// Bad inputs get clear errors.
// RUN: not infer-run %s -e double --input %t/bad_shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: infer-run: error: input 0 ('{{.*}}bad_shape.npy') has shape [3, 2], 'double' expects [2, 3]
// RUN: not infer-run %s -e double --input %t/bad_dtype.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: infer-run: error: input 0 ('{{.*}}bad_dtype.npy') has dtype <f8, 'double' expects <f4
// RUN: not infer-run %s -e double --input %t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: infer-run: error: cannot read '{{.*}}missing.npy': No such file or directory
// RUN: not infer-run %s -e double 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: infer-run: error: 'double' takes 1 inputs, 0 given
// RUN: not infer-run %s -e nope --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: infer-run: error: no function 'nope' in the module
// RUN: not infer-run %s -e double_and_sum --input %t/x.npy --output %t/only_one.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS
// OUTPUTS: infer-run: error: 'double_and_sum' has 2 results, 1 --output given
// RUN: %python -c "open('%t/garbage.npy', 'wb').write(b'not numpy')"
// RUN: not infer-run %s -e double --input %t/garbage.npy 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: infer-run: error: '{{.*}}garbage.npy': not a .npy file (bad magic)

// An already lowered module runs too: the signature travels with it.
// RUN: infer-opt %s --infer-cpu-pipeline -o %t/lowered.mlir
// RUN: infer-run %t/lowered.mlir -e double --input %t/x.npy --expect %t/ref.npy | FileCheck %s --check-prefix=MATCH

func.func @double(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = infer.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @exp(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = infer.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @double_and_sum(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?xf32>) {
  %0 = infer.add %x, %x : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = infer.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<?x3xf32>) -> tensor<?xf32>
  return %0, %1 : tensor<?x3xf32>, tensor<?xf32>
}

func.func @two_views(%x: tensor<2x3xf32>) -> (tensor<1x2x3xf32>, tensor<2x1x3xf32>) {
  %t = infer.tanh %x : tensor<2x3xf32>
  %a = infer.unsqueeze %t {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %b = infer.unsqueeze %t {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  return %a, %b : tensor<1x2x3xf32>, tensor<2x1x3xf32>
}
