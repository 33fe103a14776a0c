#pragma once
/* retort_spm: a C interface over sentencepiece, built as its own shared library.
 *
 * Why: libsentencepiece.so.0 carries (and exports) its own protobuf, which clashes with the
 * protobuf that LibTorch loads; a program that links both crashes before main. Retort links
 * only this library against sentencepiece and loads it at run time with
 * dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND), see core/text/sentencepiece_tokenizer.cpp.
 *
 * Rules of the interface:
 *  - plain C types only; no sentencepiece, protobuf or C++ type crosses it;
 *  - no exception crosses it: every fallible function returns a retort_spm_status and, on
 *    failure, leaves a message for retort_spm_last_error() (per thread);
 *  - whatever the bridge allocates, the bridge frees (retort_spm_free, retort_spm_encoding_free,
 *    retort_spm_buffer_free);
 *  - text is UTF-8 and passed with an explicit length (it may contain NUL bytes).
 * A loader checks retort_spm_abi_version() == RETORT_SPM_ABI_VERSION before anything else; the
 * version changes whenever a signature or a struct of this header changes.
 */

#include <stddef.h>
#include <stdint.h>

#if defined(RETORT_SPM_BUILDING)
#define RETORT_SPM_API __attribute__((visibility("default")))
#else
#define RETORT_SPM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this interface; see retort_spm_abi_version(). */
#define RETORT_SPM_ABI_VERSION 1

/** Result of a fallible call. RETORT_SPM_OK is 0; anything else is an error. */
typedef enum retort_spm_status {
  RETORT_SPM_OK = 0,
  RETORT_SPM_INVALID_ARGUMENT = 1, /**< a null pointer, an id out of range, a bad option */
  RETORT_SPM_IO = 2,               /**< a file could not be opened, read or written */
  RETORT_SPM_FORMAT = 3,           /**< bytes that are not a sentencepiece model */
  RETORT_SPM_INTERNAL = 4          /**< sentencepiece failed (training, encoding), or out of memory */
} retort_spm_status;

/** A loaded model (an opaque sentencepiece::SentencePieceProcessor). */
typedef struct retort_spm_model retort_spm_model;

/** Pieces and ids of one encoded text, owned by the bridge; free with retort_spm_encoding_free. */
typedef struct retort_spm_encoding {
  size_t size;                   /**< number of pieces */
  const int32_t* ids;            /**< size ids */
  const char* const* pieces;     /**< size NUL-terminated UTF-8 pieces ("▁" marks a space) */
  const size_t* piece_lengths;   /**< byte length of each piece */
  void* internal;                /**< the bridge's bookkeeping; do not touch */
} retort_spm_encoding;

/** Options of retort_spm_train. Fill with retort_spm_train_options_init first. */
typedef struct retort_spm_train_options {
  const char* corpus_path;            /**< text file, one sentence a line (required) */
  const char* output_prefix;          /**< writes <prefix>.model and <prefix>.vocab (required) */
  int32_t vocab_size;                 /**< pieces in the vocabulary, specials included; 8000 */
  const char* model_type;             /**< "unigram" (default), "bpe", "word" or "char" */
  double character_coverage;          /**< share of corpus characters kept; 0.9995 */
  int64_t input_sentence_size;        /**< most sentences read (sampled beyond it); 1000000 */
  int32_t num_threads;                /**< training threads; 2 */
  uint32_t seed;                      /**< seed of sentencepiece's random generator; 1
                                           (UINT32_MAX means "from std::random_device") */
  const char* normalization_rule;     /**< "nmt_nfkc" (default), "nmt_nfkc_cf" (lower-cases),
                                           "nfkc", "identity", ... */
  const char* const* user_defined_symbols; /**< pieces never split, matched in raw text */
  size_t user_defined_symbol_count;
  const char* const* control_symbols;      /**< pieces that never come out of encoding */
  size_t control_symbol_count;
  int32_t pad_id;                     /**< -1 disables it; default -1 */
  int32_t unk_id;                     /**< required (>= 0); default 0 */
  int32_t bos_id;                     /**< -1 disables it; default 1 */
  int32_t eos_id;                     /**< -1 disables it; default 2 */
  const char* pad_piece;              /**< NULL: "<pad>" */
  const char* unk_piece;              /**< NULL: "<unk>" */
  const char* bos_piece;              /**< NULL: "<s>" */
  const char* eos_piece;              /**< NULL: "</s>" */
  int32_t min_log_level;              /**< sentencepiece's log level: 0 info, 1 warning (default),
                                           2 error */
} retort_spm_train_options;

/** RETORT_SPM_ABI_VERSION of the library that was built. */
RETORT_SPM_API int retort_spm_abi_version(void);
/** The sentencepiece version the library was built against, e.g. "0.1.97" (static string). */
RETORT_SPM_API const char* retort_spm_sentencepiece_version(void);
/** Message of the last failed call on this thread ("" when none); valid until the next call. */
RETORT_SPM_API const char* retort_spm_last_error(void);

/** Loads a model file (.model). On success *out owns the model. */
RETORT_SPM_API retort_spm_status retort_spm_load_file(const char* path, retort_spm_model** out);
/** Loads a model from its serialized bytes (the content of a .model file). */
RETORT_SPM_API retort_spm_status retort_spm_load_bytes(const void* data, size_t size,
                                                       retort_spm_model** out);
/** Frees a model; NULL is allowed. */
RETORT_SPM_API void retort_spm_free(retort_spm_model* model);

/** Number of pieces; 0 for NULL. */
RETORT_SPM_API int32_t retort_spm_vocab_size(const retort_spm_model* model);
/** The piece of an id, NUL-terminated, valid as long as the model; NULL when out of range.
 *  *length (when not NULL) receives its byte length. */
RETORT_SPM_API const char* retort_spm_id_to_piece(const retort_spm_model* model, int32_t id,
                                                  size_t* length);
/** The id of a piece; the unknown id when the vocabulary lacks it; -1 for NULL arguments. */
RETORT_SPM_API int32_t retort_spm_piece_to_id(const retort_spm_model* model, const char* piece,
                                              size_t length);
/** Ids of the special pieces; -1 when the model has none. */
RETORT_SPM_API int32_t retort_spm_unk_id(const retort_spm_model* model);
RETORT_SPM_API int32_t retort_spm_pad_id(const retort_spm_model* model);
RETORT_SPM_API int32_t retort_spm_bos_id(const retort_spm_model* model);
RETORT_SPM_API int32_t retort_spm_eos_id(const retort_spm_model* model);
/** 1 when the id's piece has the asked type, 0 otherwise or out of range. Control pieces
 *  (<pad>, <s>, ALBERT's [CLS]) never come out of encoding; the unknown piece stands for
 *  unseen characters; unused pieces are reserved slots. */
RETORT_SPM_API int retort_spm_is_control(const retort_spm_model* model, int32_t id);
RETORT_SPM_API int retort_spm_is_unknown(const retort_spm_model* model, int32_t id);
RETORT_SPM_API int retort_spm_is_unused(const retort_spm_model* model, int32_t id);

/** Encodes UTF-8 text into pieces and ids (the model's normalization applies). */
RETORT_SPM_API retort_spm_status retort_spm_encode(const retort_spm_model* model,
                                                   const char* text, size_t length,
                                                   retort_spm_encoding** out);
/** Frees an encoding; NULL is allowed. */
RETORT_SPM_API void retort_spm_encoding_free(retort_spm_encoding* encoding);

/** Decodes ids back to text into a bridge-allocated buffer (*data, NUL-terminated, *size bytes
 *  without the NUL); free it with retort_spm_buffer_free. */
RETORT_SPM_API retort_spm_status retort_spm_decode(const retort_spm_model* model,
                                                   const int32_t* ids, size_t count,
                                                   char** data, size_t* size);
/** The serialized model (what a .model file holds) into a bridge-allocated buffer. */
RETORT_SPM_API retort_spm_status retort_spm_serialize(const retort_spm_model* model, char** data,
                                                      size_t* size);
/** Frees a buffer of retort_spm_decode or retort_spm_serialize; NULL is allowed. */
RETORT_SPM_API void retort_spm_buffer_free(char* data);

/** Fills options with the defaults documented on retort_spm_train_options. */
RETORT_SPM_API void retort_spm_train_options_init(retort_spm_train_options* options);
/** Trains a model on a corpus file and writes <prefix>.model and <prefix>.vocab. */
RETORT_SPM_API retort_spm_status retort_spm_train(const retort_spm_train_options* options);

#ifdef __cplusplus
}  // extern "C"
#endif
