

func.func @resources() -> (tensor<f32>, tensor<80xf32>) {
  %0 = infer.constant dense_resource<small> : tensor<f32>
  %1 = infer.constant dense_resource<big> : tensor<80xf32>
  return %0, %1 : tensor<f32>, tensor<80xf32>
}

{-#
  dialect_resources: {
    builtin: {
      smalGl: "0x040000000000803E",
      big: "0x040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}