"""Post-training quantization tooling: calibrators and infer-calibrate."""
