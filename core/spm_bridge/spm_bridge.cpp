// The only translation unit of Retort that includes sentencepiece. Everything it exports is
// declared in spm_bridge.h; every C++ exception stops here and becomes a status plus a message.

#include "spm_bridge.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#ifndef RETORT_SPM_SENTENCEPIECE_VERSION
#define RETORT_SPM_SENTENCEPIECE_VERSION "unknown"
#endif

struct retort_spm_model {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

thread_local std::string t_lastError;

/// An error with a status, thrown inside the bridge and caught at its boundary.
struct BridgeError {
  retort_spm_status status;
  std::string message;
};

[[noreturn]] void fail(retort_spm_status status, std::string message) {
  throw BridgeError{status, std::move(message)};
}

/// Runs fn and turns whatever it throws into a status and the thread's last error.
template <typename Fn>
retort_spm_status guarded(Fn&& fn) noexcept {
  try {
    t_lastError.clear();
    fn();
    return RETORT_SPM_OK;
  } catch (const BridgeError& e) {
    t_lastError = e.message;
    return e.status;
  } catch (const std::bad_alloc&) {
    t_lastError = "out of memory in the sentencepiece bridge";
  } catch (const std::exception& e) {
    t_lastError = std::string("sentencepiece bridge: ") + e.what();
  } catch (...) {
    t_lastError = "sentencepiece bridge: unknown exception";
  }
  return RETORT_SPM_INTERNAL;
}

void requireOut(const void* out, const char* what) {
  if (!out) fail(RETORT_SPM_INVALID_ARGUMENT, std::string(what) + " is NULL");
}

bool validId(const retort_spm_model* model, int32_t id) {
  return model && id >= 0 && id < model->processor.GetPieceSize();
}

/// Copies bytes into a malloc'ed, NUL-terminated buffer that retort_spm_buffer_free frees.
void copyOut(const std::string& bytes, char** data, size_t* size) {
  char* buffer = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (!buffer) throw std::bad_alloc();
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = '\0';
  *data = buffer;
  *size = bytes.size();
}

/// Loads serialized model bytes; origin names them in messages.
retort_spm_model* loadSerialized(const std::string& bytes, const std::string& origin) {
  if (bytes.empty()) fail(RETORT_SPM_FORMAT, origin + " is empty, not a sentencepiece model");
  auto model = std::make_unique<retort_spm_model>();
  const auto status = model->processor.LoadFromSerializedProto(bytes);
  if (!status.ok())
    fail(RETORT_SPM_FORMAT,
         origin + " is not a sentencepiece model (" + status.error_message() + ")");
  if (model->processor.GetPieceSize() <= 0)
    fail(RETORT_SPM_FORMAT, origin + " is not a sentencepiece model (no pieces)");
  return model.release();
}

/// The structure behind a retort_spm_encoding: the C view points into these vectors.
struct EncodingHolder {
  retort_spm_encoding view{};
  std::vector<int32_t> ids;
  std::vector<std::string> pieceStorage;
  std::vector<const char*> pieces;
  std::vector<size_t> lengths;
};

std::string formatDouble(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.precision(17);
  out << value;
  return out.str();
}

/// Joins symbols with commas, the separator of sentencepiece's list options.
std::string joinSymbols(const char* const* symbols, size_t count, const char* what) {
  if (count > 0 && !symbols) fail(RETORT_SPM_INVALID_ARGUMENT, std::string(what) + " is NULL");
  std::string joined;
  for (size_t i = 0; i < count; ++i) {
    const char* symbol = symbols[i];
    if (!symbol || !*symbol) fail(RETORT_SPM_INVALID_ARGUMENT, std::string(what) + " has an empty symbol");
    if (std::strchr(symbol, ','))
      fail(RETORT_SPM_INVALID_ARGUMENT,
           std::string(what) + " symbol \"" + symbol + "\" contains a comma, which sentencepiece cannot take");
    if (!joined.empty()) joined += ',';
    joined += symbol;
  }
  return joined;
}

/// Fails unless the corpus file can be read and has at least one non-blank line.
void checkCorpus(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(RETORT_SPM_IO, "cannot open the training corpus " + path);
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r\n\v\f") != std::string::npos) return;
  fail(RETORT_SPM_INVALID_ARGUMENT, "the training corpus " + path + " has no text");
}

std::mutex g_trainMutex;  // sentencepiece's trainer uses process-wide flags and a global seed

}  // namespace

extern "C" {

int retort_spm_abi_version(void) { return RETORT_SPM_ABI_VERSION; }

const char* retort_spm_sentencepiece_version(void) { return RETORT_SPM_SENTENCEPIECE_VERSION; }

const char* retort_spm_last_error(void) { return t_lastError.c_str(); }

retort_spm_status retort_spm_load_file(const char* path, retort_spm_model** out) {
  return guarded([&] {
    requireOut(out, "the output model pointer");
    *out = nullptr;
    if (!path || !*path) fail(RETORT_SPM_INVALID_ARGUMENT, "the model path is empty");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(RETORT_SPM_IO, std::string("cannot open the sentencepiece model ") + path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail(RETORT_SPM_IO, std::string("cannot read the sentencepiece model ") + path);
    *out = loadSerialized(bytes, path);
  });
}

retort_spm_status retort_spm_load_bytes(const void* data, size_t size, retort_spm_model** out) {
  return guarded([&] {
    requireOut(out, "the output model pointer");
    *out = nullptr;
    if (!data && size > 0) fail(RETORT_SPM_INVALID_ARGUMENT, "the model bytes are NULL");
    const std::string bytes = size ? std::string(static_cast<const char*>(data), size) : std::string();
    *out = loadSerialized(bytes, "the serialized model (" + std::to_string(size) + " bytes)");
  });
}

void retort_spm_free(retort_spm_model* model) { delete model; }

int32_t retort_spm_vocab_size(const retort_spm_model* model) {
  return model ? model->processor.GetPieceSize() : 0;
}

const char* retort_spm_id_to_piece(const retort_spm_model* model, int32_t id, size_t* length) {
  if (!validId(model, id)) return nullptr;
  const std::string& piece = model->processor.IdToPiece(id);
  if (length) *length = piece.size();
  return piece.c_str();
}

int32_t retort_spm_piece_to_id(const retort_spm_model* model, const char* piece, size_t length) {
  if (!model || (!piece && length > 0)) return -1;
  return model->processor.PieceToId(absl::string_view(piece ? piece : "", length));
}

int32_t retort_spm_unk_id(const retort_spm_model* model) { return model ? model->processor.unk_id() : -1; }
int32_t retort_spm_pad_id(const retort_spm_model* model) { return model ? model->processor.pad_id() : -1; }
int32_t retort_spm_bos_id(const retort_spm_model* model) { return model ? model->processor.bos_id() : -1; }
int32_t retort_spm_eos_id(const retort_spm_model* model) { return model ? model->processor.eos_id() : -1; }

int retort_spm_is_control(const retort_spm_model* model, int32_t id) {
  return validId(model, id) && model->processor.IsControl(id) ? 1 : 0;
}
int retort_spm_is_unknown(const retort_spm_model* model, int32_t id) {
  return validId(model, id) && model->processor.IsUnknown(id) ? 1 : 0;
}
int retort_spm_is_unused(const retort_spm_model* model, int32_t id) {
  return validId(model, id) && model->processor.IsUnused(id) ? 1 : 0;
}
retort_spm_status retort_spm_encode(const retort_spm_model* model, const char* text, size_t length,
                                    retort_spm_encoding** out) {
  return guarded([&] {
    requireOut(out, "the output encoding pointer");
    *out = nullptr;
    if (!model) fail(RETORT_SPM_INVALID_ARGUMENT, "the model is NULL");
    if (!text && length > 0) fail(RETORT_SPM_INVALID_ARGUMENT, "the text is NULL");
    sentencepiece::ImmutableSentencePieceText spt;
    const auto status =
        model->processor.Encode(absl::string_view(text ? text : "", length), spt.mutable_proto());
    if (!status.ok())
      fail(RETORT_SPM_INTERNAL, std::string("sentencepiece could not encode the text: ") +
                                    status.error_message());
    auto holder = std::make_unique<EncodingHolder>();
    const size_t n = spt.pieces_size();
    holder->ids.reserve(n);
    holder->pieceStorage.reserve(n);
    for (const auto& piece : spt.pieces()) {
      holder->ids.push_back(static_cast<int32_t>(piece.id()));
      holder->pieceStorage.push_back(piece.piece());
    }
    holder->pieces.reserve(n);
    holder->lengths.reserve(n);
    for (const auto& piece : holder->pieceStorage) {  // storage no longer moves
      holder->pieces.push_back(piece.c_str());
      holder->lengths.push_back(piece.size());
    }
    holder->view.size = n;
    holder->view.ids = holder->ids.data();
    holder->view.pieces = holder->pieces.data();
    holder->view.piece_lengths = holder->lengths.data();
    holder->view.internal = holder.get();
    *out = &holder.release()->view;
  });
}

void retort_spm_encoding_free(retort_spm_encoding* encoding) {
  if (encoding) delete static_cast<EncodingHolder*>(encoding->internal);
}

retort_spm_status retort_spm_decode(const retort_spm_model* model, const int32_t* ids, size_t count,
                                    char** data, size_t* size) {
  return guarded([&] {
    requireOut(data, "the output buffer pointer");
    requireOut(size, "the output size pointer");
    *data = nullptr;
    *size = 0;
    if (!model) fail(RETORT_SPM_INVALID_ARGUMENT, "the model is NULL");
    if (!ids && count > 0) fail(RETORT_SPM_INVALID_ARGUMENT, "the ids are NULL");
    std::vector<int> checked(count);
    for (size_t i = 0; i < count; ++i) {
      if (!validId(model, ids[i]))
        fail(RETORT_SPM_INVALID_ARGUMENT,
             "id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                 " is outside the vocabulary [0, " +
                 std::to_string(model->processor.GetPieceSize()) + ")");
      checked[i] = ids[i];
    }
    std::string text;
    const auto status = model->processor.Decode(checked, &text);
    if (!status.ok())
      fail(RETORT_SPM_INTERNAL, std::string("sentencepiece could not decode the ids: ") +
                                    status.error_message());
    copyOut(text, data, size);
  });
}

retort_spm_status retort_spm_serialize(const retort_spm_model* model, char** data, size_t* size) {
  return guarded([&] {
    requireOut(data, "the output buffer pointer");
    requireOut(size, "the output size pointer");
    *data = nullptr;
    *size = 0;
    if (!model) fail(RETORT_SPM_INVALID_ARGUMENT, "the model is NULL");
    copyOut(model->processor.serialized_model_proto(), data, size);
  });
}

void retort_spm_buffer_free(char* data) { std::free(data); }

void retort_spm_train_options_init(retort_spm_train_options* options) {
  if (!options) return;
  *options = retort_spm_train_options{};
  options->vocab_size = 8000;
  options->model_type = "unigram";
  options->character_coverage = 0.9995;
  options->input_sentence_size = 1000000;
  options->num_threads = 2;
  options->seed = 1;
  options->normalization_rule = "nmt_nfkc";
  options->pad_id = -1;
  options->unk_id = 0;
  options->bos_id = 1;
  options->eos_id = 2;
  options->min_log_level = 1;
}

retort_spm_status retort_spm_train(const retort_spm_train_options* options) {
  return guarded([&] {
    if (!options) fail(RETORT_SPM_INVALID_ARGUMENT, "the training options are NULL");
    const auto& o = *options;
    if (!o.corpus_path || !*o.corpus_path)
      fail(RETORT_SPM_INVALID_ARGUMENT, "no training corpus was given");
    if (!o.output_prefix || !*o.output_prefix)
      fail(RETORT_SPM_INVALID_ARGUMENT, "no output prefix was given");
    const std::string type = o.model_type ? o.model_type : "unigram";
    if (type != "unigram" && type != "bpe" && type != "word" && type != "char")
      fail(RETORT_SPM_INVALID_ARGUMENT,
           "model type \"" + type + "\" is not one of unigram, bpe, word, char");
    if (o.vocab_size <= 0)
      fail(RETORT_SPM_INVALID_ARGUMENT, "vocab size " + std::to_string(o.vocab_size) + " is not positive");
    if (!(o.character_coverage > 0.0 && o.character_coverage <= 1.0))
      fail(RETORT_SPM_INVALID_ARGUMENT,
           "character coverage " + formatDouble(o.character_coverage) + " is not in (0, 1]");
    if (o.unk_id < 0) fail(RETORT_SPM_INVALID_ARGUMENT, "the unknown piece needs an id >= 0");
    checkCorpus(o.corpus_path);

    std::unordered_map<std::string, std::string> args = {
        {"input", o.corpus_path},
        {"model_prefix", o.output_prefix},
        {"vocab_size", std::to_string(o.vocab_size)},
        {"model_type", type},
        {"character_coverage", formatDouble(o.character_coverage)},
        {"input_sentence_size", std::to_string(o.input_sentence_size)},
        {"shuffle_input_sentence", "true"},
        {"num_threads", std::to_string(o.num_threads > 0 ? o.num_threads : 1)},
        {"normalization_rule_name", o.normalization_rule ? o.normalization_rule : "nmt_nfkc"},
        {"pad_id", std::to_string(o.pad_id)},
        {"unk_id", std::to_string(o.unk_id)},
        {"bos_id", std::to_string(o.bos_id)},
        {"eos_id", std::to_string(o.eos_id)},
        {"minloglevel", std::to_string(o.min_log_level)},
    };
    const std::string user = joinSymbols(o.user_defined_symbols, o.user_defined_symbol_count,
                                         "user_defined_symbols");
    if (!user.empty()) args["user_defined_symbols"] = user;
    const std::string control =
        joinSymbols(o.control_symbols, o.control_symbol_count, "control_symbols");
    if (!control.empty()) args["control_symbols"] = control;
    if (o.pad_piece) args["pad_piece"] = o.pad_piece;
    if (o.unk_piece) args["unk_piece"] = o.unk_piece;
    if (o.bos_piece) args["bos_piece"] = o.bos_piece;
    if (o.eos_piece) args["eos_piece"] = o.eos_piece;

    std::lock_guard<std::mutex> lock(g_trainMutex);
    sentencepiece::SetRandomGeneratorSeed(o.seed);
    const auto status = sentencepiece::SentencePieceTrainer::Train(args);
    if (!status.ok())
      fail(RETORT_SPM_INTERNAL, std::string("sentencepiece training on ") + o.corpus_path +
                                    " failed: " + status.error_message());
  });
}

}  // extern "C"
