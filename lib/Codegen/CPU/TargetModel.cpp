//===- TargetModel.cpp - what the CPU code generator knows of a CPU -------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reads the host: LLVM's name and features of the CPU, cache sizes from
// /sys/devices/system/cpu/cpu0/cache, cores from the scheduler's affinity,
// the clock from /proc/cpuinfo. Nothing about one machine is hard-coded;
// families differ only in what LLVM's name says about their FMA units.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/TargetModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;
using namespace mlir::infer;

/// The text of a small system file, or "".
static std::string readSmallFile(const Twine &path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFileAsStream(path);
  return buffer ? (*buffer)->getBuffer().trim().str() : std::string();
}

/// "32K", "1024K", "32M" -> bytes.
static int64_t parseCacheSize(StringRef text) {
  int64_t scale = 1;
  if (text.consume_back("K"))
    scale = 1024;
  else if (text.consume_back("M"))
    scale = 1024 * 1024;
  int64_t value = 0;
  if (text.getAsInteger(10, value))
    return 0;
  return value * scale;
}

static void readHostCaches(CPUTargetModel &model) {
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::string level = readSmallFile(dir + "/level");
    if (level.empty())
      break;
    std::string type = readSmallFile(dir + "/type");
    if (type == "Instruction")
      continue;
    int64_t size = parseCacheSize(readSmallFile(dir + "/size"));
    if (size <= 0)
      continue;
    if (level == "1")
      model.l1Bytes = size;
    else if (level == "2")
      model.l2Bytes = size;
    else if (level == "3")
      model.l3Bytes = size;
  }
}

static double readHostGHz() {
  std::string cpuinfo = readSmallFile("/proc/cpuinfo");
  for (StringRef line : llvm::split(cpuinfo, '\n')) {
    if (!line.starts_with("cpu MHz"))
      continue;
    double mhz = 0;
    if (!line.split(':').second.trim().getAsDouble(mhz) && mhz > 0)
      return mhz / 1000;
  }
  return 2.5;
}

/// Vector width, registers and FMA throughput from the features and name.
static void deriveVectorUnit(CPUTargetModel &model,
                             const StringMap<bool> &features) {
  auto has = [&](StringRef name) { return features.lookup(name); };
  if (has("avx512f")) {
    model.vectorBits = 512;
    model.vectorRegisters = 32;
  } else if (has("avx2") || has("avx")) {
    model.vectorBits = 256;
    model.vectorRegisters = 16;
  } else {
    model.vectorBits = 128;
    model.vectorRegisters = 16;
  }
  model.hasVNNI = has("avx512vnni") || has("avxvnni");
  model.hasBF16 = has("avx512bf16");
  model.hasAMX = has("amx-tile") && has("amx-int8");
  // Zen 4 executes a 512-bit FMA as two 256-bit halves; Zen 5 and Intel
  // server cores with AVX-512 retire two full-width FMAs per cycle.
  StringRef cpu = model.cpu;
  model.fmasPerCycle = (model.vectorBits == 512 && cpu == "znver4") ? 1 : 2;
}

static std::string joinFeatures(const StringMap<bool> &features) {
  SmallVector<std::string> enabled;
  for (const auto &entry : features)
    if (entry.second)
      enabled.push_back("+" + entry.first().str());
  llvm::sort(enabled);
  return llvm::join(enabled, ",");
}

CPUTargetModel CPUTargetModel::host() {
  CPUTargetModel model;
  model.cpu = sys::getHostCPUName().str();
  StringMap<bool> features;
  for (const auto &entry : sys::getHostCPUFeatures())
    features[entry.first()] = entry.second;
  model.features = joinFeatures(features);
  deriveVectorUnit(model, features);
  readHostCaches(model);
  // Threads this process may use (its CPU affinity), as OpenMP does.
  model.cores =
      std::max<int64_t>(1, llvm::hardware_concurrency().compute_thread_count());
  model.ghz = readHostGHz();
  return model;
}

CPUTargetModel CPUTargetModel::forCPU(StringRef cpu, StringRef extraFeatures) {
  CPUTargetModel model = host();
  // "native" is llc's and clang's name for the host.
  if (cpu.empty() || cpu == "native" || cpu == model.cpu) {
    if (extraFeatures.empty())
      return model;
  } else {
    // Another CPU than this one: its family's typical caches, one core (the
    // caller says how many threads to plan for).
    model = CPUTargetModel();
    model.cpu = cpu.str();
    bool server = cpu.starts_with("znver") || cpu.contains("avx512") ||
                  cpu == "sapphirerapids" || cpu == "emeraldrapids" ||
                  cpu == "graniterapids" || cpu == "icelake-server" ||
                  cpu == "cascadelake" || cpu == "cooperlake";
    model.l1Bytes = server ? 48 * 1024 : 32 * 1024;
    model.l2Bytes = server ? 1024 * 1024 : 256 * 1024;
    model.l3Bytes = 32 * 1024 * 1024;
  }
  StringMap<bool> features;
  for (StringRef feature : llvm::split(model.features, ','))
    if (feature.size() > 1)
      features[feature.drop_front()] = feature.front() == '+';
  for (StringRef feature : llvm::split(extraFeatures, ','))
    if (feature.size() > 1)
      features[feature.drop_front()] = feature.front() == '+';
  // A named CPU without features: the usual AVX-512 and AVX2 families.
  StringRef name = model.cpu;
  if (model.features.empty() && extraFeatures.empty()) {
    bool avx512 = name.starts_with("znver4") || name.starts_with("znver5") ||
                  name.contains("avx512") || name == "sapphirerapids" ||
                  name == "emeraldrapids" || name == "graniterapids" ||
                  name == "icelake-server" || name == "cascadelake" ||
                  name == "cooperlake" || name == "tigerlake";
    bool avx2 = avx512 || name.starts_with("znver") || name == "haswell" ||
                name == "broadwell" || name == "skylake" ||
                name == "alderlake" || name == "x86-64-v3";
    features["avx512f"] = avx512;
    features["avx2"] = avx2;
    features["fma"] = avx2;
  }
  model.features = joinFeatures(features);
  deriveVectorUnit(model, features);
  return model;
}

void CPUTargetModel::print(raw_ostream &os) const {
  os << "cpu " << cpu << ", " << vectorBits << "-bit vectors x "
     << vectorRegisters << " registers, " << fmasPerCycle << " FMA/cycle, L1 "
     << l1Bytes / 1024 << " KiB, L2 " << l2Bytes / 1024 << " KiB, L3 "
     << l3Bytes / (1024 * 1024) << " MiB, " << cores << " cores at "
     << format("%.2f", ghz) << " GHz";
}
