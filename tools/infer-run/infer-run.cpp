//===- infer-run.cpp - run a model function on .npy inputs by JIT ---------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
//   infer-run model.mlir -e main --input a.npy --input b.npy --output out.npy
//             [--expect ref.npy --rtol R --atol A] [--repeat N]
//             [--warmup N] [--print-times]
//
// Compiles the module with infer-cpu-pipeline unless it is already in the
// LLVM dialect, JIT-compiles it for the host and calls `_mlir_ciface_<entry>`
// with memref descriptors of the inputs. Results go to the --output files in
// order; --expect compares them (|got - want| <= atol + rtol * |want|) and
// --repeat prints the median time per call as `median_ms=<number>`.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/ShapeInference.h"
#include "infer/InitAll.h"
#include "infer/Pipelines/Pipelines.h"
#include "infer/Support/InputCheck.h"
#include "infer/Support/Npy.h"
#include "infer/Support/ToolSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mlir;
using namespace mlir::infer;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("infer-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::Required, cl::cat(runCategory));
static cl::opt<std::string> entry("e", cl::desc("Function to run"),
                                  cl::init("main"), cl::cat(runCategory));
static cl::list<std::string> inputs("input", cl::desc("Input .npy, in order"),
                                    cl::cat(runCategory));
static cl::list<std::string> outputs("output",
                                     cl::desc("Output .npy, in result order"),
                                     cl::cat(runCategory));
static cl::list<std::string> expects("expect",
                                     cl::desc("Reference .npy per result"),
                                     cl::cat(runCategory));
static cl::opt<double> rtolOpt("rtol", cl::desc("Relative tolerance"),
                               cl::init(1e-5), cl::cat(runCategory));
static cl::opt<double> atolOpt("atol", cl::desc("Absolute tolerance"),
                               cl::init(1e-6), cl::cat(runCategory));
static cl::opt<unsigned> repeat("repeat",
                                cl::desc("Time N calls, print median_ms"),
                                cl::init(0), cl::cat(runCategory));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed calls before the timed ones"),
                                cl::init(0), cl::cat(runCategory));
static cl::opt<bool> printTimes(
    "print-times",
    cl::desc("With --repeat, also print every call's time (times_ms=...)"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<unsigned> optLevel("O", cl::desc("Optimization level (0-3)"),
                                  cl::init(2), cl::cat(runCategory));
/// `--threads`: created in main, once LLVM's option of that name (which
/// would do nothing here) is unregistered.
static cl::opt<int> *threadsOpt;
static cl::opt<bool> profile(
    "profile",
    cl::desc("Time every kernel (with --repeat: per call, median) and print "
             "a table, slowest first"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<bool>
    fuse("fuse",
         cl::desc("Fuse at -O 2 and up (--fuse=false: every op its own kernel, "
                  "to compare)"),
         cl::init(true), cl::cat(runCategory));
static cl::opt<std::string>
    tuningDb("tuning-db",
             cl::desc("Tuning database (infer-tune) whose schedules replace "
                      "the model's for the tasks it has"),
             cl::init(""), cl::cat(runCategory));
static cl::opt<bool> printIR("print-llvm-dialect",
                             cl::desc("Print the lowered module and exit"),
                             cl::init(false), cl::cat(runCategory));

//===----------------------------------------------------------------------===//
// Kernel timers (infer-profile-kernels calls them)
//===----------------------------------------------------------------------===//

namespace {
struct KernelTimes {
  std::vector<std::chrono::steady_clock::time_point> started;
  /// Per kernel, the time of each call, in milliseconds.
  std::vector<std::vector<double>> calls;
};
} // namespace

static KernelTimes kernelTimes;

extern "C" void infer_profile_begin(int64_t id) {
  if (id < 0)
    return;
  if (static_cast<size_t>(id) >= kernelTimes.started.size()) {
    kernelTimes.started.resize(id + 1);
    kernelTimes.calls.resize(id + 1);
  }
  kernelTimes.started[id] = std::chrono::steady_clock::now();
}

extern "C" void infer_profile_end(int64_t id) {
  if (id < 0 || static_cast<size_t>(id) >= kernelTimes.started.size())
    return;
  auto stop = std::chrono::steady_clock::now();
  kernelTimes.calls[id].push_back(
      std::chrono::duration<double, std::milli>(stop - kernelTimes.started[id])
          .count());
}

static double medianOf(SmallVector<double> values) {
  if (values.empty())
    return 0;
  llvm::sort(values);
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// The table of --profile: median time per call of each kernel.
static void printProfile(ArrayAttr names, ArrayRef<int64_t> estimates) {
  struct Row {
    size_t id;
    double median;
  };
  SmallVector<Row> rows;
  double total = 0;
  for (size_t id = 0; id < kernelTimes.calls.size(); ++id) {
    double median = medianOf(SmallVector<double>(kernelTimes.calls[id].begin(),
                                                 kernelTimes.calls[id].end()));
    rows.push_back({id, median});
    total += median;
  }
  llvm::stable_sort(
      rows, [](const Row &a, const Row &b) { return a.median > b.median; });
  llvm::outs() << llvm::format("profile: %zu kernels, %.3f ms a call in all\n",
                               rows.size(), total);
  bool withEstimates =
      llvm::any_of(estimates, [](int64_t ns) { return ns >= 0; });
  llvm::outs() << (withEstimates ? "   ms/call  share    est ms  kernel\n"
                                 : "   ms/call  share  kernel\n");
  for (const Row &row : rows) {
    StringRef name = "?";
    if (names && row.id < names.size())
      if (auto text = dyn_cast<StringAttr>(names[row.id]))
        name = text.getValue();
    llvm::outs() << llvm::format("%10.4f %5.1f%%  ", row.median,
                                 total > 0 ? 100 * row.median / total : 0.0);
    if (withEstimates) {
      if (row.id < estimates.size() && estimates[row.id] >= 0)
        llvm::outs() << llvm::format("%8.4f  ", estimates[row.id] * 1e-6);
      else
        llvm::outs() << "       -  ";
    }
    llvm::outs() << "#" << row.id << " " << name << "\n";
  }
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "infer-run: error: " << message << "\n";
  return 1;
}

/// The dtype of an element type, if .npy can hold it.
static std::optional<NpyDType> dtypeOf(Type type) {
  // Quantized values are exchanged as their storage integers.
  if (auto qtype = dyn_cast<quant::QuantizedType>(type)) {
    if (!qtype.isSigned() && qtype.getStorageTypeIntegralWidth() == 8)
      return NpyDType::U8;
    type = qtype.getStorageType();
  }
  if (type.isUnsignedInteger(8))
    return NpyDType::U8;
  if (type.isUnsignedInteger(16))
    return NpyDType::U16;
  if (type.isUnsignedInteger(32))
    return NpyDType::U32;
  if (type.isUnsignedInteger(64))
    return NpyDType::U64;
  if (type.isF16())
    return NpyDType::F16;
  if (type.isBF16())
    return NpyDType::BF16;
  if (type.isF32())
    return NpyDType::F32;
  if (type.isF64())
    return NpyDType::F64;
  if (type.isInteger(1))
    return NpyDType::Bool;
  if (type.isInteger(8))
    return NpyDType::I8;
  if (type.isInteger(16))
    return NpyDType::I16;
  if (type.isInteger(32))
    return NpyDType::I32;
  if (type.isInteger(64))
    return NpyDType::I64;
  return std::nullopt;
}

/// Reads `array` as `expected` where both have the same bytes: "<u2" parses
/// as bf16 bits but may be a uint16 array, and 8-bit integers may come as
/// int8 or uint8 (quantized storage is often exchanged as int8 bytes).
static void retagSameBytes(NpyArray &array, NpyDType expected) {
  auto is8 = [](NpyDType d) { return d == NpyDType::I8 || d == NpyDType::U8; };
  if ((array.dtype == NpyDType::BF16 && expected == NpyDType::U16) ||
      (is8(array.dtype) && is8(expected)))
    array.dtype = expected;
}

/// Memref descriptor words: allocated, aligned, offset, sizes[r], strides[r].
static size_t descriptorWords(int64_t rank) { return 3 + 2 * rank; }

/// The tensor-level signature of the entry function, before or after
/// lowering.
static FailureOr<FunctionType> findSignature(ModuleOp module) {
  Operation *op = SymbolTable::lookupSymbolIn(module, entry);
  if (!op) {
    llvm::errs() << "infer-run: error: no function '" << entry
                 << "' in the module\n";
    return failure();
  }
  if (auto attr = op->getAttrOfType<TypeAttr>(kSignatureAttrName))
    return cast<FunctionType>(attr.getValue());
  if (auto func = dyn_cast<func::FuncOp>(op))
    return func.getFunctionType();
  llvm::errs() << "infer-run: error: '" << entry
               << "' is lowered but has no infer.signature attribute; lower it "
                  "with infer-cpu-pipeline\n";
  return failure();
}

static bool needsLowering(ModuleOp module) {
  bool lowered = true;
  module.walk([&](Operation *op) {
    if (op != module && !isa<LLVM::LLVMDialect>(op->getDialect()))
      lowered = false;
  });
  return !lowered;
}

/// Copies a strided result into a dense C-order array.
static NpyArray readResult(const int64_t *desc, RankedTensorType type,
                           NpyDType dtype) {
  int64_t rank = type.getRank();
  NpyArray array;
  array.dtype = dtype;
  const int64_t *sizes = desc + 3, *strides = desc + 3 + rank;
  array.shape.assign(sizes, sizes + rank);
  size_t elementSize = npyElementSize(dtype);
  int64_t n = array.numElements();
  array.data.resize(n * elementSize);
  const auto *base = reinterpret_cast<const uint8_t *>(desc[1]);
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = desc[2];
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    std::memcpy(array.data.data() + i * elementSize,
                base + offset * elementSize, elementSize);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
  return array;
}

/// Compares `got` with `want`; prints the worst element on a mismatch.
static bool compare(const NpyArray &got, const NpyArray &want, size_t index) {
  if (got.shape != want.shape) {
    llvm::errs() << "infer-run: result " << index << ": shape "
                 << formatShape(got.shape) << " differs from the expected "
                 << formatShape(want.shape) << "\n";
    return false;
  }
  int64_t worst = -1, mismatches = 0;
  double worstExcess = 0;
  for (int64_t i = 0, e = got.numElements(); i < e; ++i) {
    double g = got.get(i), w = want.get(i);
    // Equal values (infinities included) and NaN against NaN match.
    if (g == w || (std::isnan(g) && std::isnan(w)))
      continue;
    double err = std::fabs(g - w);
    double allowed = atolOpt + rtolOpt * std::fabs(w);
    if (!(err <= allowed) || std::isnan(g) != std::isnan(w)) {
      ++mismatches;
      double excess = std::isnan(err) ? INFINITY : err - allowed;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (mismatches == 0)
    return true;
  SmallVector<int64_t> at(want.shape.size());
  for (int64_t d = want.shape.size() - 1, r = worst; d >= 0; --d) {
    at[d] = r % want.shape[d];
    r /= want.shape[d];
  }
  llvm::errs() << "infer-run: result " << index << ": " << mismatches << " of "
               << got.numElements() << " elements differ (rtol " << rtolOpt
               << ", atol " << atolOpt << "); worst at " << formatShape(at)
               << ": got " << got.get(worst) << ", expected " << want.get(worst)
               << "\n";
  return false;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerAllPasses();
  registerAllInferPasses();
  installVersionPrinter();
  hideUnrelatedOptions({&runCategory});
  static cl::opt<int> threads(
      "threads",
      cl::desc("Threads to plan for and run on (0: every core; compiled "
               "modules keep the count they were compiled with)"),
      cl::init(0), cl::cat(runCategory));
  threadsOpt = &threads;
  static cl::opt<ThreadRuntime> threadRuntime(
      "thread-runtime", cl::desc("What runs the parallel loops"),
      cl::init(ThreadRuntime::OpenMP),
      cl::values(
          clEnumValN(ThreadRuntime::OpenMP, "openmp",
                     "LLVM's OpenMP runtime (the default)"),
          clEnumValN(ThreadRuntime::Async, "async", "MLIR's async runtime")),
      cl::cat(runCategory));
  cl::ParseCommandLineOptions(argc, argv, "infer-mlir JIT runner\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllInferDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  MLIRContext context(registry);

  llvm::SourceMgr sourceMgr;
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  unsigned bufferId =
      sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (failed(checkInput(sourceMgr, bufferId)))
    return 1;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  FailureOr<FunctionType> signature = findSignature(*module);
  if (failed(signature))
    return 1;

  // Read and check the inputs against the signature.
  if (inputs.size() != signature->getNumInputs())
    return fail("'" + entry + "' takes " +
                llvm::Twine(signature->getNumInputs()) + " inputs, " +
                llvm::Twine(inputs.size()) + " given");
  SmallVector<NpyArray> arrays;
  for (auto [i, path] : llvm::enumerate(inputs)) {
    auto type = dyn_cast<RankedTensorType>(signature->getInput(i));
    if (!type)
      return fail("input " + llvm::Twine(i) + " is not a ranked tensor");
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return fail(llvm::toString(array.takeError()));
    std::optional<NpyDType> dtype = dtypeOf(type.getElementType());
    if (!dtype)
      return fail("input " + llvm::Twine(i) +
                  " has an element type .npy "
                  "cannot hold");
    retagSameBytes(*array, *dtype);
    if (array->dtype != *dtype)
      return fail("input " + llvm::Twine(i) + " ('" + path + "') has dtype " +
                  npyDescr(array->dtype) + ", '" + entry + "' expects " +
                  npyDescr(*dtype));
    bool shapeOk = static_cast<int64_t>(array->shape.size()) == type.getRank();
    for (int64_t d = 0; shapeOk && d < type.getRank(); ++d)
      shapeOk = type.isDynamicDim(d) || type.getDimSize(d) == array->shape[d];
    if (!shapeOk)
      return fail("input " + llvm::Twine(i) + " ('" + path + "') has shape " +
                  formatShape(array->shape) + ", '" + entry + "' expects " +
                  formatShape(type.getShape()));
    arrays.push_back(std::move(*array));
  }
  SmallVector<RankedTensorType> resultTypes;
  for (Type type : signature->getResults()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !dtypeOf(tensor.getElementType()))
      return fail("result type " + llvm::Twine(resultTypes.size()) +
                  " cannot be written as .npy");
    resultTypes.push_back(tensor);
  }
  if (!outputs.empty() && outputs.size() != resultTypes.size())
    return fail("'" + entry + "' has " + llvm::Twine(resultTypes.size()) +
                " results, " + llvm::Twine(outputs.size()) + " --output given");
  if (!expects.empty() && expects.size() != resultTypes.size())
    return fail("'" + entry + "' has " + llvm::Twine(resultTypes.size()) +
                " results, " + llvm::Twine(expects.size()) + " --expect given");

  // Lower unless already in the LLVM dialect.
  if (needsLowering(*module)) {
    PassManager pm(&context);
    CPUPipelineOptions options;
    options.optLevel = optLevel;
    options.threads = *threadsOpt;
    options.profile = profile;
    options.fuse = fuse;
    options.threadRuntime = threadRuntime;
    options.tuningDb = tuningDb;
    buildCPUPipeline(pm, options);
    if (failed(pm.run(*module)))
      return fail("lowering '" + inputFile + "' failed");
  }
  if (printIR) {
    module->print(llvm::outs());
    return 0;
  }
  // What infer-plan-memory recorded: the bytes of the intermediate buffers
  // (each written and read once a call) and of the arena they share.
  if (profile)
    module->walk([&](Operation *fn) {
      auto name =
          fn->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
      auto separate = fn->getAttrOfType<IntegerAttr>("infer.separate_bytes");
      auto arena = fn->getAttrOfType<IntegerAttr>("infer.arena_bytes");
      if (name && name.getValue() == entry && separate && arena)
        llvm::outs() << "memory: intermediate buffers " << separate.getInt()
                     << " bytes, arena " << arena.getInt() << " bytes\n";
    });

  auto transformer = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(std::min<unsigned>(optLevel, 3));
  // The OpenMP runtime reads the thread count when it starts, at the first
  // parallel region of the compiled code.
  if (*threadsOpt > 0)
    ::setenv("OMP_NUM_THREADS", std::to_string(*threadsOpt).c_str(), 1);
  SmallVector<StringRef> libs = {INFER_C_RUNNER_UTILS, INFER_OPENMP_RUNTIME};
  // Parallel loops on MLIR's async runtime call into its library.
  bool usesAsync = false;
  module->walk([&](LLVM::LLVMFuncOp func) {
    usesAsync |= func.getName().starts_with("mlirAsyncRuntime");
  });
  if (usesAsync)
    libs.push_back(INFER_ASYNC_RUNTIME);
  engineOptions.sharedLibPaths = libs;
  auto profileNames =
      (*module)->getAttrOfType<ArrayAttr>("infer.profile_kernels");
  SmallVector<int64_t> profileEstimates;
  if (auto estimates = (*module)->getAttrOfType<DenseI64ArrayAttr>(
          "infer.profile_estimates_ns"))
    profileEstimates.assign(estimates.asArrayRef().begin(),
                            estimates.asArrayRef().end());
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return fail("JIT compilation failed: " +
                llvm::toString(engine.takeError()));
  // The timers, under their C names and the C-interface names the
  // pipeline gives every declaration (scalar arguments: the same ABI).
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    for (StringRef prefix : {"", "_mlir_ciface_"}) {
      symbols[interner((prefix + "infer_profile_begin").str())] = {
          llvm::orc::ExecutorAddr::fromPtr(&infer_profile_begin),
          llvm::JITSymbolFlags::Exported};
      symbols[interner((prefix + "infer_profile_end").str())] = {
          llvm::orc::ExecutorAddr::fromPtr(&infer_profile_end),
          llvm::JITSymbolFlags::Exported};
    }
    return symbols;
  });

  // Descriptors of the inputs and space for the results.
  SmallVector<SmallVector<int64_t>> descriptors;
  for (NpyArray &array : arrays) {
    int64_t rank = array.shape.size();
    SmallVector<int64_t> desc(descriptorWords(rank));
    uint8_t *data = array.data.empty() ? nullptr : array.data.data();
    desc[0] = desc[1] = reinterpret_cast<int64_t>(data);
    desc[2] = 0;
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      desc[3 + d] = array.shape[d];
      desc[3 + rank + d] = stride;
      stride *= array.shape[d];
    }
    descriptors.push_back(std::move(desc));
  }
  size_t resultWords = 0;
  for (RankedTensorType type : resultTypes)
    resultWords += descriptorWords(type.getRank());
  SmallVector<int64_t> results(std::max<size_t>(resultWords, 1));

  // _mlir_ciface_<entry>(results*, desc0*, desc1*, ...), packed.
  SmallVector<void *> pointers;
  if (!resultTypes.empty())
    pointers.push_back(results.data());
  for (auto &desc : descriptors)
    pointers.push_back(desc.data());
  SmallVector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);
  std::string wrapper = "_mlir_ciface_" + entry;

  auto freeResults = [&] {
    size_t at = 0;
    // Results may be views of one buffer (two reshapes of a value): each
    // allocation is freed once.
    llvm::SmallPtrSet<void *, 8> freed;
    for (RankedTensorType type : resultTypes) {
      auto *allocated = reinterpret_cast<void *>(results[at]);
      bool isInput = llvm::any_of(
          descriptors, [&](auto &desc) { return desc[0] == results[at]; });
      if (!isInput && freed.insert(allocated).second)
        std::free(allocated);
      at += descriptorWords(type.getRank());
    }
  };

  // The function is looked up once: ExecutionEngine::invokePacked looks it
  // up on every call, about a microsecond, which a timed call must not hold.
  llvm::Expected<void (*)(void **)> function = (*engine)->lookupPacked(wrapper);
  if (!function)
    return fail("calling '" + wrapper +
                "' failed: " + llvm::toString(function.takeError()));

  // Warm-up calls: caches, page faults and the thread pool's start, none of
  // it timed (kernel timers included).
  for (unsigned i = 0; i < warmup; ++i) {
    (*function)(packed.data());
    freeResults();
  }
  kernelTimes = KernelTimes();

  SmallVector<double> times;
  unsigned calls = std::max(1u, repeat.getValue());
  for (unsigned i = 0; i < calls; ++i) {
    auto start = std::chrono::steady_clock::now();
    (*function)(packed.data());
    auto stop = std::chrono::steady_clock::now();
    times.push_back(
        std::chrono::duration<double, std::milli>(stop - start).count());
    if (i + 1 < calls)
      freeResults();
  }
  if (repeat > 0)
    llvm::outs() << llvm::format("median_ms=%.6f\n", medianOf(times));
  if (repeat > 0 && printTimes) {
    llvm::outs() << "times_ms=";
    llvm::interleave(
        times, llvm::outs(),
        [](double t) { llvm::outs() << llvm::format("%.6f", t); }, ",");
    llvm::outs() << "\n";
  }
  if (profile) {
    if (!profileNames)
      llvm::errs() << "infer-run: warning: --profile: the module was "
                      "compiled without kernel timers\n";
    printProfile(profileNames, profileEstimates);
  }

  bool ok = true;
  size_t at = 0;
  for (auto [i, type] : llvm::enumerate(resultTypes)) {
    NpyArray array =
        readResult(results.data() + at, type, *dtypeOf(type.getElementType()));
    at += descriptorWords(type.getRank());
    if (i < outputs.size())
      if (llvm::Error error = writeNpy(outputs[i], array))
        return fail(llvm::toString(std::move(error)));
    if (i < expects.size()) {
      llvm::Expected<NpyArray> want = readNpy(expects[i]);
      if (!want)
        return fail(llvm::toString(want.takeError()));
      retagSameBytes(*want, array.dtype);
      ok &= compare(array, *want, i);
    }
    if (outputs.empty() && expects.empty()) {
      llvm::outs() << "result " << i << ": shape " << formatShape(array.shape)
                   << " values";
      for (int64_t k = 0, e = std::min<int64_t>(array.numElements(), 16); k < e;
           ++k)
        llvm::outs() << " " << array.get(k);
      if (array.numElements() > 16)
        llvm::outs() << " ...";
      llvm::outs() << "\n";
    }
  }
  freeResults();
  if (!expects.empty() && ok)
    llvm::outs() << "infer-run: all " << expects.size()
                 << " results match the references\n";
  return ok ? 0 : 1;
}
