#include "core/text/sentencepiece_tokenizer.h"

#include "core/spm_bridge/spm_bridge.h"  // plain C: types and function signatures only
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <type_traits>

#include "retort_build_paths.h"  // RETORT_SPM_BUILD_PATH, RETORT_SPM_INSTALL_SUBDIR (generated)

namespace retort::text {
namespace detail {

/// Function table of libretort_spm.so, one pointer per function of spm_bridge.h.
struct SpmBridge {
  std::string path;
  void* handle = nullptr;
  const char* (*lastError)(void) = nullptr;
  retort_spm_status (*loadFile)(const char*, retort_spm_model**) = nullptr;
  retort_spm_status (*loadBytes)(const void*, size_t, retort_spm_model**) = nullptr;
  void (*freeModel)(retort_spm_model*) = nullptr;
  int32_t (*vocabSize)(const retort_spm_model*) = nullptr;
  const char* (*idToPiece)(const retort_spm_model*, int32_t, size_t*) = nullptr;
  int32_t (*pieceToId)(const retort_spm_model*, const char*, size_t) = nullptr;
  int32_t (*unkId)(const retort_spm_model*) = nullptr;
  int32_t (*padId)(const retort_spm_model*) = nullptr;
  int (*isControl)(const retort_spm_model*, int32_t) = nullptr;
  int (*isUnknown)(const retort_spm_model*, int32_t) = nullptr;
  retort_spm_status (*encode)(const retort_spm_model*, const char*, size_t,
                              retort_spm_encoding**) = nullptr;
  void (*freeEncoding)(retort_spm_encoding*) = nullptr;
  retort_spm_status (*decode)(const retort_spm_model*, const int32_t*, size_t, char**,
                              size_t*) = nullptr;
  retort_spm_status (*serialize)(const retort_spm_model*, char**, size_t*) = nullptr;
  void (*freeBuffer)(char*) = nullptr;
  void (*trainOptionsInit)(retort_spm_train_options*) = nullptr;
  retort_spm_status (*train)(const retort_spm_train_options*) = nullptr;
};

namespace {

constexpr const char* kLibraryName = "libretort_spm.so";

/// Resolves every symbol; returns the name of the first one missing, or "".
std::string resolve(SpmBridge& b) {
  std::string missing;
  auto get = [&](auto& fn, const char* name) {
    void* symbol = dlsym(b.handle, name);
    if (!symbol && missing.empty()) missing = name;
    // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(symbol);
  };
  get(b.lastError, "retort_spm_last_error");
  get(b.loadFile, "retort_spm_load_file");
  get(b.loadBytes, "retort_spm_load_bytes");
  get(b.freeModel, "retort_spm_free");
  get(b.vocabSize, "retort_spm_vocab_size");
  get(b.idToPiece, "retort_spm_id_to_piece");
  get(b.pieceToId, "retort_spm_piece_to_id");
  get(b.unkId, "retort_spm_unk_id");
  get(b.padId, "retort_spm_pad_id");
  get(b.isControl, "retort_spm_is_control");
  get(b.isUnknown, "retort_spm_is_unknown");
  get(b.encode, "retort_spm_encode");
  get(b.freeEncoding, "retort_spm_encoding_free");
  get(b.decode, "retort_spm_decode");
  get(b.serialize, "retort_spm_serialize");
  get(b.freeBuffer, "retort_spm_buffer_free");
  get(b.trainOptionsInit, "retort_spm_train_options_init");
  get(b.train, "retort_spm_train");
  return missing;
}

std::string executableDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::vector<SpmBridgeCandidate> spmBridgeCandidates(const char* envValue,
                                                    const std::string& exeDir) {
  if (envValue && *envValue) return {{envValue, "RETORT_SPM_LIBRARY"}};
  std::vector<SpmBridgeCandidate> list;
  auto add = [&](const std::filesystem::path& path, const char* origin) {
    const std::string p = path.lexically_normal().string();
    for (const auto& c : list)
      if (c.path == p) return;
    list.push_back({p, origin});
  };
  const std::filesystem::path subdir(RETORT_SPM_INSTALL_SUBDIR);
  if (!exeDir.empty()) {
    const std::filesystem::path up = std::filesystem::path(exeDir) / "..";
    add(up / "lib" / "retort" / kLibraryName, "installed next to the executable");
    add(up / subdir / kLibraryName, "installed next to the executable");
    add(up / "lib" / kLibraryName, "build tree next to the executable");
  }
  if (*RETORT_SPM_BUILD_PATH) add(RETORT_SPM_BUILD_PATH, "build tree of this build");
  add(std::filesystem::path("/usr") / subdir / kLibraryName, "system install");
  add(std::filesystem::path("/usr/local") / subdir / kLibraryName, "local install");
  return list;
}

const SpmBridge& openSpmBridge(const std::vector<SpmBridgeCandidate>& candidates,
                               int expectedAbi) {
#ifdef RETORT_SANITIZE
  // AddressSanitizer aborts the process on a dlopen with RTLD_DEEPBIND, which the bridge needs.
  (void)candidates;
  (void)expectedAbi;
  throw Error(ErrorKind::Unsupported,
              "sentencepiece is not available in a sanitizer build (AddressSanitizer refuses RTLD_DEEPBIND); "
              "use a normal build for sentencepiece tokenizers");
#endif
  std::string tried;
  for (const auto& c : candidates) {
    std::string why;
    dlerror();  // clear
    // RTLD_LOCAL keeps sentencepiece's protobuf out of the global namespace; RTLD_DEEPBIND
    // makes the bridge and sentencepiece prefer their own symbols over LibTorch's protobuf.
    void* handle = dlopen(c.path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!handle) {
      const char* err = dlerror();
      why = err ? err : "dlopen failed";
    } else {
      using AbiFn = int (*)(void);
      auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "retort_spm_abi_version"));
      if (!abi) {
        why = "does not export retort_spm_abi_version (not a Retort sentencepiece bridge)";
      } else if (abi() != expectedAbi) {
        why = "has interface version " + std::to_string(abi()) + ", this Retort expects " +
              std::to_string(expectedAbi) + " (a library from another Retort build)";
      } else {
        auto bridge = std::make_unique<SpmBridge>();
        bridge->path = c.path;
        bridge->handle = handle;
        const std::string missing = resolve(*bridge);
        if (missing.empty()) {
          // One SpmBridge per path, kept for the whole process and never unloaded: a model
          // or a static tokenizer may outlive any caller. The registry is deliberately never
          // destroyed, so nothing refers to freed memory during exit.
          static std::mutex mutex;
          static auto* registry = new std::map<std::string, std::unique_ptr<SpmBridge>>();
          std::lock_guard<std::mutex> lock(mutex);
          auto& slot = (*registry)[c.path];
          if (slot) {
            dlclose(handle);  // already loaded: drop the extra reference dlopen took
            return *slot;
          }
          slot = std::move(bridge);
          return *slot;
        }
        why = "lacks the function " + missing;
      }
      dlclose(handle);
    }
    tried += "\n  " + c.path + " (" + c.origin + "): " + why;
  }
  std::string message = "cannot load the sentencepiece bridge " + std::string(kLibraryName);
  if (candidates.empty()) message += ": no place to look for it";
  else message += "; tried:" + tried;
  if (candidates.size() == 1 && candidates.front().origin == "RETORT_SPM_LIBRARY")
    message += "\nRETORT_SPM_LIBRARY is set, so no other place was tried; fix or unset it.";
  else
    message += "\nSet RETORT_SPM_LIBRARY to the path of " + std::string(kLibraryName) + ".";
  throw Error(ErrorKind::Io, message);
}

const SpmBridge& spmBridge() {
  // Function-local static: initialised once, thread-safe; if loading throws, the next call
  // tries again.
  static const SpmBridge& bridge =
      openSpmBridge(spmBridgeCandidates(std::getenv("RETORT_SPM_LIBRARY"), executableDir()),
                    RETORT_SPM_ABI_VERSION);
  return bridge;
}

const std::string& spmBridgePath(const SpmBridge& bridge) { return bridge.path; }

int spmBridgeAbiVersion() { return RETORT_SPM_ABI_VERSION; }

}  // namespace detail

namespace {

ErrorKind errorKind(retort_spm_status status) {
  switch (status) {
    case RETORT_SPM_INVALID_ARGUMENT: return ErrorKind::InvalidArgument;
    case RETORT_SPM_IO: return ErrorKind::Io;
    case RETORT_SPM_FORMAT: return ErrorKind::Format;
    default: return ErrorKind::Runtime;
  }
}

/// Throws retort::Error with the bridge's message unless status is OK.
void check(const detail::SpmBridge& b, retort_spm_status status) {
  if (status == RETORT_SPM_OK) return;
  std::string message = b.lastError();
  if (message.empty()) message = "the sentencepiece bridge failed (status " + std::to_string(status) + ")";
  throw Error(errorKind(status), message);
}

int32_t toId32(int64_t id) {
  if (id < std::numeric_limits<int32_t>::min() || id > std::numeric_limits<int32_t>::max())
    return -1;
  return static_cast<int32_t>(id);
}

/// Writes bytes to path through a temporary file in the same directory and a rename.
void writeAtomically(const std::filesystem::path& path, const std::string& bytes) {
  std::random_device rd;
  const std::filesystem::path tmp =
      path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(rd()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::Io, "cannot create " + tmp.string() + ": " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw Error(ErrorKind::Io, "cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error(ErrorKind::Io, "cannot rename " + tmp.string() + " to " + path.string() + ": " +
                                   ec.message());
  }
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(retort_spm_model* model, std::string origin)
    : m_model(model), m_origin(std::move(origin)) {
  const auto& b = detail::spmBridge();
  const int32_t n = b.vocabSize(m_model);
  m_pieces.reserve(static_cast<size_t>(n));
  for (int32_t id = 0; id < n; ++id) {
    size_t length = 0;
    const char* piece = b.idToPiece(m_model, id, &length);
    m_pieces.emplace_back(piece ? std::string(piece, length) : std::string());
  }
  auto find = [&](std::initializer_list<const char*> names) -> int64_t {
    for (const char* name : names) {
      const int32_t id = b.pieceToId(m_model, name, std::strlen(name));
      if (id >= 0 && id < n && m_pieces[static_cast<size_t>(id)] == name) return id;
    }
    return -1;
  };
  m_special.cls = find({"[CLS]", "<cls>"});
  m_special.sep = find({"[SEP]", "<sep>"});
  m_special.mask = find({"[MASK]", "<mask>"});
  m_special.pad = find({"[PAD]", "<pad>"});
  if (m_special.pad < 0) m_special.pad = b.padId(m_model);
  m_special.unk = b.unkId(m_model);
}

SentencePieceTokenizer::~SentencePieceTokenizer() {
  if (m_model) detail::spmBridge().freeModel(m_model);
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromModelFile(
    const std::string& path) {
  const auto& b = detail::spmBridge();
  retort_spm_model* model = nullptr;
  check(b, b.loadFile(path.c_str(), &model));
  std::unique_ptr<retort_spm_model, void (*)(retort_spm_model*)> guard(model, b.freeModel);
  std::unique_ptr<SentencePieceTokenizer> tokenizer(new SentencePieceTokenizer(model, path));
  guard.release();
  return tokenizer;
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::fromSerializedModel(
    const std::string& bytes, const std::string& origin) {
  const auto& b = detail::spmBridge();
  retort_spm_model* model = nullptr;
  const auto status = b.loadBytes(bytes.data(), bytes.size(), &model);
  if (status != RETORT_SPM_OK)
    throw Error(errorKind(status), origin + ": " + b.lastError());
  std::unique_ptr<retort_spm_model, void (*)(retort_spm_model*)> guard(model, b.freeModel);
  std::unique_ptr<SentencePieceTokenizer> tokenizer(new SentencePieceTokenizer(model, origin));
  guard.release();
  return tokenizer;
}

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::train(
    const SentencePieceTrainOptions& options) {
  if (options.corpusPath.empty())
    throw Error(ErrorKind::InvalidArgument, "no training corpus was given for sentencepiece");
  if (options.outputPrefix.empty())
    throw Error(ErrorKind::InvalidArgument, "no output prefix was given for sentencepiece training");
  if (options.vocabSize < 6)
    throw Error(ErrorKind::InvalidArgument,
                "vocabSize " + std::to_string(options.vocabSize) +
                    " is too small: the five special tokens alone take ids 0-4");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.corpusPath, ec))
    throw Error(ErrorKind::Io, "the training corpus " + options.corpusPath + " does not exist");
  const auto prefixDir = std::filesystem::path(options.outputPrefix).parent_path();
  if (!prefixDir.empty() && !std::filesystem::is_directory(prefixDir, ec))
    throw Error(ErrorKind::Io, "the output directory " + prefixDir.string() + " does not exist");

  const auto& b = detail::spmBridge();
  retort_spm_train_options o;
  b.trainOptionsInit(&o);
  const char* userSymbols[] = {"[CLS]", "[SEP]", "[MASK]"};
  o.corpus_path = options.corpusPath.c_str();
  o.output_prefix = options.outputPrefix.c_str();
  o.vocab_size = options.vocabSize;
  o.model_type = options.modelType.c_str();
  o.character_coverage = options.characterCoverage;
  o.input_sentence_size = options.inputSentenceSize;
  o.num_threads = options.threads;
  o.seed = static_cast<uint32_t>(options.seed);
  o.normalization_rule = options.lowerCase ? "nmt_nfkc_cf" : "nmt_nfkc";
  o.user_defined_symbols = userSymbols;
  o.user_defined_symbol_count = 3;
  o.pad_id = 0;
  o.pad_piece = "[PAD]";
  o.unk_id = 1;
  o.unk_piece = "[UNK]";
  o.bos_id = -1;
  o.eos_id = -1;
  o.min_log_level = 1;
  check(b, b.train(&o));
  return fromModelFile(options.outputPrefix + ".model");
}

std::vector<std::string> SentencePieceTokenizer::tokenize(const std::string& text) const {
  return tokenizeWithIds(text).first;
}

std::pair<std::vector<std::string>, std::vector<int64_t>> SentencePieceTokenizer::tokenizeWithIds(
    const std::string& text) const {
  const auto& b = detail::spmBridge();
  retort_spm_encoding* enc = nullptr;
  check(b, b.encode(m_model, text.data(), text.size(), &enc));
  std::unique_ptr<retort_spm_encoding, void (*)(retort_spm_encoding*)> guard(enc, b.freeEncoding);
  std::pair<std::vector<std::string>, std::vector<int64_t>> out;
  out.first.reserve(enc->size);
  out.second.reserve(enc->size);
  for (size_t i = 0; i < enc->size; ++i) {
    out.first.emplace_back(enc->pieces[i], enc->piece_lengths[i]);
    out.second.push_back(enc->ids[i]);
  }
  return out;
}

int64_t SentencePieceTokenizer::tokenToId(const std::string& token) const {
  return detail::spmBridge().pieceToId(m_model, token.data(), token.size());
}

std::string SentencePieceTokenizer::idToToken(int64_t id) const {
  if (id < 0 || id >= vocabSize())
    throw Error(ErrorKind::InvalidArgument,
                "token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                    std::to_string(vocabSize()) + ") of " + m_origin);
  return m_pieces[static_cast<size_t>(id)];
}

int64_t SentencePieceTokenizer::vocabSize() const { return static_cast<int64_t>(m_pieces.size()); }

SpecialTokens SentencePieceTokenizer::specialTokens() const { return m_special; }

std::string SentencePieceTokenizer::kind() const { return "sentencepiece"; }

std::string SentencePieceTokenizer::decode(const std::vector<int64_t>& ids) const {
  std::vector<int32_t> ids32;
  ids32.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocabSize())
      throw Error(ErrorKind::InvalidArgument,
                  "token id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                      " is outside the vocabulary [0, " + std::to_string(vocabSize()) + ") of " +
                      m_origin);
    ids32.push_back(static_cast<int32_t>(ids[i]));
  }
  const auto& b = detail::spmBridge();
  char* data = nullptr;
  size_t size = 0;
  check(b, b.decode(m_model, ids32.data(), ids32.size(), &data, &size));
  std::string text(data, size);
  b.freeBuffer(data);
  return text;
}

std::string SentencePieceTokenizer::serializedModel() const {
  const auto& b = detail::spmBridge();
  char* data = nullptr;
  size_t size = 0;
  check(b, b.serialize(m_model, &data, &size));
  std::string bytes(data, size);
  b.freeBuffer(data);
  return bytes;
}

bool SentencePieceTokenizer::isControl(int64_t id) const {
  return detail::spmBridge().isControl(m_model, toId32(id)) != 0;
}

bool SentencePieceTokenizer::isUnknown(int64_t id) const {
  return detail::spmBridge().isUnknown(m_model, toId32(id)) != 0;
}

void SentencePieceTokenizer::save(const std::string& directory) const {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw Error(ErrorKind::Io, "cannot save the tokenizer: " + directory + " is not a directory");
  const std::filesystem::path dir(directory);
  writeAtomically(dir / "spiece.model", serializedModel());

  nlohmann::json config = {
      {"tokenizer_class", "AlbertTokenizer"},
      {"retort_tokenizer", "sentencepiece"},
      {"model_file", "spiece.model"},
      {"do_lower_case", false},
      {"keep_accents", true},
      {"remove_space", true},
  };
  auto token = [&](const char* key, int64_t id) {
    if (id >= 0 && id < vocabSize()) config[key] = m_pieces[static_cast<size_t>(id)];
  };
  token("unk_token", m_special.unk);
  token("pad_token", m_special.pad);
  token("cls_token", m_special.cls);
  token("sep_token", m_special.sep);
  token("mask_token", m_special.mask);
  writeAtomically(dir / "tokenizer_config.json", config.dump(2) + "\n");
}

}  // namespace retort::text
