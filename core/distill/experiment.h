#pragma once
// The experiment file: a versioned JSON document ("format": 1) that says everything a
// distillation run needs. Defaults fill what it omits; unknown keys and invalid values are
// rejected with the JSON path and the reason. Torch-free.
//
// Paths inside the file are resolved relative to the file's directory.
//
// Reading rules (Experiment::fromJson):
// - Keys are snake_case; every key is optional except "format", which must be 1. A JSON
//   null counts as an absent key (so "pair_column": null means "no pair column"; a stage's
//   "augment": null means no augmentation).
// - Unknown keys are an error naming the path and, when a known key is within a few edits,
//   suggesting it: "exp.json: stages[0].optim.learnig_rate: unknown key (did you mean
//   learning_rate?)". Wrong types and values name the path and the reason:
//   "exp.json: stages[1].losses.temperature: must be positive, found 0".
// - Integers must be integral (3.0 is accepted, 3.5 is not); probabilities lie in [0, 1);
//   learning_rate > 0; batch_size >= 1; task.max_length >= 3; weights >= 0; epochs >= 0 and
//   epochs > 0 or max_steps > 0.
// - Comments (// and /* */) are allowed in the file; toJson() does not keep them.
//
// Stage presets (see presetLosses): a stage without a "losses" object gets its kind's losses:
//   general       attention 1, hidden 1, embedding 1     (data defaults to "corpus")
//   intermediate  attention 1, hidden 1, embedding 1
//   prediction    soft_targets 1, soft_kind "ce", temperature 1   (TinyBERT)
//   finetune      hard_labels 1
//   distill       soft_targets 1, soft_kind "kl", temperature 2   (DistilBERT / Hinton)
// When "losses" IS given, every weight it omits is 0, so an explicit mix is exactly what the
// user wrote; only temperature, soft_kind and mlm_probability keep the kind's defaults.
// No "stages" means one {"kind": "distill"} stage. Stage names default to the kind, or to
// "<kind>-<n>" (n = 1, 2, ... among the stages of that kind) when a kind is repeated; names
// must be distinct. A "general" stage without "corpus" falls back to teacher.mlm_corpus.
// An explicit mapping pair for student layer 0 (the embedding output) defaults to
// attention false.
//
// Paths (task.train/dev/test, tokenizer.path, tokenizer.train_corpus, teacher.checkpoint,
// teacher.mlm_corpus, student.checkpoint, stages[].corpus, output.dir) are made absolute
// against the base directory; empty stays empty. Whether the files exist is not checked
// here (the trainer reports missing files).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::distill {

/// A labeled task: files and columns (GLUE TSV, CSV with a header, or JSON Lines).
struct TaskSpec {
  std::string train;                ///< "task.train" (required unless every stage uses a corpus)
  std::string dev;                  ///< "task.dev" (optional; then no evaluation)
  std::string test;                 ///< "task.test" (optional)
  std::string format = "auto";      ///< auto | tsv | csv | jsonl | conll (auto: from the extension)
  std::string textColumn = "sentence";
  std::string pairColumn;           ///< empty = single-sentence task
  std::string labelColumn = "label";
  std::vector<std::string> labels;  ///< explicit class order; empty = from the training file
  int64_t maxLength = 128;          ///< tokens, specials included
  /// TSV/CSV files without a header row (GLUE's CoLA): their column names in order; empty =
  /// the first line is the header.
  std::vector<std::string> columns;
  /// What is predicted: classification (one class per example) | regression (one number;
  /// a float label column) | multi_label (any number of classes per example, sigmoid outputs)
  /// | token_classification (a tag per word: NER, tagging; CoNLL files or JSON Lines with
  /// "tokens" and "tags"; a BERT student, no augmentation, no sentence pairs).
  std::string kind = "classification";
  /// The task's headline metric: picks the best checkpoint, gives the retention and heads
  /// the summary. classification: accuracy | f1 (of class 1; two classes) | mcc (Matthews;
  /// with more than two classes Gorodkin's R_K, as scikit-learn computes it). regression:
  /// pearson | spearman. multi_label: micro_f1 | macro_f1 | exact_match. token_classification:
  /// entity_f1 | entity_precision | entity_recall (seqeval, IOB2) | accuracy (of words). The default is the
  /// first of the kind's list.
  std::string metric = "accuracy";
  /// multi_label: what joins several class names in one label column ("label_separator").
  std::string labelSeparator = ",";
  /// multi_label: a class is predicted when its sigmoid output is at least this (0..1).
  double threshold = 0.5;
};

/// The metrics a task kind offers, its default first ("accuracy", "f1", "mcc" for a
/// classification). Empty for an unknown kind.
std::vector<std::string> taskMetrics(const std::string& kind);

/// Where the tokenizer comes from.
struct TokenizerSpec {
  std::string from = "teacher";     ///< teacher | wordpiece | sentencepiece
  std::string path;                 ///< vocab.txt or a .model file (wordpiece / sentencepiece)
  std::string trainCorpus;          ///< sentencepiece: train a new model on this corpus when path is empty
  int64_t vocabSize = 8000;         ///< sentencepiece training
  bool lowerCase = true;
};

/// BERT shape in experiment-file terms (keys: layers, hidden, heads, ffn, max_positions,
/// activation, dropout, attention_dropout).
struct BertShape {
  int64_t layers = 4;
  int64_t hidden = 256;
  int64_t heads = 4;
  int64_t ffn = 1024;
  int64_t maxPositions = 512;
  std::string activation = "gelu";
  double dropout = 0.1;
  double attentionDropout = 0.1;
};

/// Settings of one training phase (teacher fine-tuning, MLM pre-training, or a stage).
struct OptimSpec {
  int64_t epochs = 3;
  int64_t maxSteps = 0;             ///< 0 = run all epochs; else stop after this many steps
  double learningRate = 5e-5;
  int64_t batchSize = 32;
  std::string schedule = "linear";  ///< linear (warmup then linear decay to 0) | constant (after warmup)
  double warmup = 0.1;              ///< fraction of the steps (< 1) or a step count (>= 1)
  double weightDecay = 0.01;        ///< AdamW; not applied to biases and LayerNorm weights
  double maxGradNorm = 1.0;         ///< 0 = no clipping
  int64_t evalEvery = 0;            ///< steps; 0 = at the end of each epoch
  int64_t logEvery = 10;            ///< steps between metric reports
};

struct TeacherSpec {
  std::string checkpoint;           ///< a Hugging Face directory; when empty, Retort trains the teacher
  BertShape architecture;           ///< used when training
  bool mlmPretraining = false;      ///< masked-LM pre-training before fine-tuning
  std::string mlmCorpus;            ///< unlabeled text, one document per line
  double mlmProbability = 0.15;
  OptimSpec pretraining;            ///< teacher.pretraining.*
  OptimSpec finetuning;             ///< teacher.finetuning.*
  /// With a checkpoint: auto (fine-tune on the task when the checkpoint has no classifier
  /// or its classes differ from the task's), always, or never.
  std::string finetune = "auto";
};

struct StudentSpec {
  std::string kind = "bert";        ///< bert | bilstm
  BertShape architecture;           ///< kind bert
  int64_t embeddingDim = 300;       ///< kind bilstm (Tang et al.)
  int64_t lstmHidden = 150;         ///< per direction
  int64_t denseHidden = 200;
  std::string init = "random";      ///< random | teacher_layers | checkpoint
  std::vector<int64_t> teacherLayers;  ///< 0-based teacher layers to copy (init teacher_layers); empty = every other
  std::string checkpoint;           ///< init checkpoint
};

/// One matched pair of layers. Layers are 1-based (layer m's output is hidden state m);
/// the embedding output is layer 0 (hidden only).
struct LayerPairSpec {
  int64_t student = 0;
  int64_t teacher = 0;
  bool attention = true;
  bool hidden = true;
  double weight = 1.0;
};

struct MappingSpec {
  std::string kind = "uniform";     ///< uniform (g(m) = m·N/M) | last | explicit
  std::vector<LayerPairSpec> pairs; ///< explicit pairs
  bool attention = true;            ///< for uniform/last: match attention scores
  bool hidden = true;               ///< for uniform/last: match hidden states
  bool embeddings = true;           ///< add the 0 -> 0 embedding pair (hidden only)
  std::string headMismatch = "average";  ///< average (group-average teacher heads) | refuse
  std::string projection = "shared";     ///< shared | per_layer (W_h for hidden-state MSE)
};

/// Loss weights; a weight of 0 turns a term off (nothing is computed for it).
struct LossSpec {
  double softTargets = 0.0;         ///< soft-target cross-entropy on logits
  double temperature = 1.0;
  std::string softKind = "kl";      ///< kl (KL·T², DistilBERT/Hinton) | ce (plain mean CE, TinyBERT)
  double hardLabels = 0.0;          ///< cross-entropy with the gold labels
  double logitMse = 0.0;            ///< MSE between logits (Tang et al.)
  double cosine = 0.0;              ///< cosine loss on hidden states (DistilBERT)
  double mlm = 0.0;                 ///< masked-LM loss of the student (needs an MLM head)
  double attention = 0.0;           ///< MSE on pre-softmax attention scores (TinyBERT)
  double hidden = 0.0;              ///< MSE on projected hidden states (TinyBERT)
  double embedding = 0.0;           ///< MSE on projected embedding outputs (TinyBERT)
  double mlmProbability = 0.15;
};

/// A stage's data augmentation ("augment": {...}); method empty = none.
struct AugmentSpec {
  std::string method;               ///< tinybert | tang
  // TinyBERT
  double probability = 0.4;         ///< p
  int64_t candidates = 15;          ///< M
  int64_t copies = 20;              ///< N
  std::string glove;                ///< optional GloVe text file for words of several pieces
  int64_t maskEvery = 0;            ///< 0 = one masked word per MLM pass; k = every k-th word together
  // Tang et al.
  double maskProbability = 0.1;
  double replaceProbability = 0.1;
  double ngramProbability = 0.25;
  int64_t maxNgram = 5;
  int64_t passes = 20;
  bool write = true;                ///< write the augmented set to <run>/augmented/<stage>.tsv
};

struct StageSpec {
  std::string name;
  /// general (unlabeled corpus; attention+hidden+embedding), intermediate, prediction,
  /// finetune (hard labels only), distill (any mix).
  std::string kind = "distill";
  std::string data = "train";       ///< train | corpus
  std::string corpus;               ///< data corpus: unlabeled text, one example per line
  LossSpec losses;
  OptimSpec optim;
  AugmentSpec augment;              ///< data augmentation of the stage's training data
};

struct ObserverSpec {
  int64_t attentionEvery = 50;      ///< steps between attention snapshots; 0 = never
  std::string probe;                ///< the probe sentence; empty = the first dev example
  /// Training checkpoints (RUN/checkpoints/step-N, for `retort-cli resume`): one every
  /// checkpointEvery steps and one whenever checkpointMinutes have passed since the last
  /// (whichever comes first; 0 turns either off; both 0 = no checkpoints), the last
  /// checkpointKeep of them kept. A cancelled run writes one too.
  int64_t checkpointEvery = 1000;
  double checkpointMinutes = 10.0;
  int64_t checkpointKeep = 2;
};

struct Experiment {
  int format = 1;
  std::string name = "experiment";
  uint64_t seed = 42;
  int threads = 0;                  ///< 0 = every core
  /// The frozen teacher's outputs kept between epochs (distill/teacher_cache.h): "auto" (the
  /// logits, in memory, when they fit teacherCacheLimitGb), "memory" (the same; a run whose
  /// logits do not fit stops with the figures) or "off".
  std::string teacherCache = "auto";
  double teacherCacheLimitGb = 2.0;
  std::string baseDir;              ///< directory of the experiment file (relative paths resolve here)
  TaskSpec task;
  TokenizerSpec tokenizer;
  TeacherSpec teacher;
  StudentSpec student;
  MappingSpec mapping;
  std::vector<StageSpec> stages;
  ObserverSpec observer;
  std::string outputDir;            ///< default run directory ("runs/<name>-<time>" when empty)

  /// Parses and validates. `source` names the file in messages ("exp.json: stages[1].losses.temperature: must be positive").
  /// Relative paths resolve against `baseDir`, itself made absolute against the current
  /// directory (empty = the current directory). Throws Error(Format) for any invalid content.
  static Experiment fromJson(const nlohmann::json& json, const std::string& source, const std::string& baseDir);
  /// Reads, parses and validates the file at `path` (base directory: the file's directory).
  /// Throws Error(Io) when it cannot be read, Error(Format) "path: line L, column C: ..." for
  /// a JSON syntax error, and fromJson's errors with `path` as the source.
  static Experiment load(const std::string& path);
  /// The first half of load(): reads and parses the file (comments allowed) without
  /// validating, for callers that apply overrides before fromJson. Same errors as load().
  static nlohmann::json readDocument(const std::string& path);
  /// The fully resolved document (every default written out, paths absolute).
  nlohmann::json toJson() const;
};

/// The losses a stage of `kind` gets when it gives no "losses" object (see the table at the
/// top). Throws Error(InvalidArgument) for an unknown kind.
LossSpec presetLosses(const std::string& kind);

/// Field-by-field equality (doubles compared exactly; fromJson(x.toJson(), ..., x.baseDir) == x).
bool operator==(const TaskSpec& a, const TaskSpec& b);
bool operator==(const TokenizerSpec& a, const TokenizerSpec& b);
bool operator==(const BertShape& a, const BertShape& b);
bool operator==(const OptimSpec& a, const OptimSpec& b);
bool operator==(const TeacherSpec& a, const TeacherSpec& b);
bool operator==(const StudentSpec& a, const StudentSpec& b);
bool operator==(const LayerPairSpec& a, const LayerPairSpec& b);
bool operator==(const MappingSpec& a, const MappingSpec& b);
bool operator==(const LossSpec& a, const LossSpec& b);
bool operator==(const AugmentSpec& a, const AugmentSpec& b);
bool operator==(const StageSpec& a, const StageSpec& b);
bool operator==(const ObserverSpec& a, const ObserverSpec& b);
bool operator==(const Experiment& a, const Experiment& b);
inline bool operator!=(const TaskSpec& a, const TaskSpec& b) { return !(a == b); }
inline bool operator!=(const TokenizerSpec& a, const TokenizerSpec& b) { return !(a == b); }
inline bool operator!=(const BertShape& a, const BertShape& b) { return !(a == b); }
inline bool operator!=(const OptimSpec& a, const OptimSpec& b) { return !(a == b); }
inline bool operator!=(const TeacherSpec& a, const TeacherSpec& b) { return !(a == b); }
inline bool operator!=(const StudentSpec& a, const StudentSpec& b) { return !(a == b); }
inline bool operator!=(const LayerPairSpec& a, const LayerPairSpec& b) { return !(a == b); }
inline bool operator!=(const MappingSpec& a, const MappingSpec& b) { return !(a == b); }
inline bool operator!=(const LossSpec& a, const LossSpec& b) { return !(a == b); }
inline bool operator!=(const StageSpec& a, const StageSpec& b) { return !(a == b); }
inline bool operator!=(const ObserverSpec& a, const ObserverSpec& b) { return !(a == b); }
inline bool operator!=(const Experiment& a, const Experiment& b) { return !(a == b); }

/// Applies "key.path=value" to a document before parsing (value: JSON if it parses, else a
/// string). Array elements by index: "stages.0.optim.epochs=1". Missing object keys are
/// created (fromJson then rejects keys that are not in the schema, with its usual message).
/// Throws Error(InvalidArgument): "--set needs key.path=value" without '=', and a message
/// naming the path when an index is out of range or a step goes through a non-container.
void applyOverride(nlohmann::json& document, const std::string& assignment);

}  // namespace retort::distill
