#include "core/distill/stage_data.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace retort::distill {

StageData::StageData(const Experiment& experiment, const RunData& data, model::BertModel teacher,
                     Observer& observer, RunControl* control, std::string runDir)
    : m_experiment(experiment),
      m_data(data),
      m_teacher(std::move(teacher)),
      m_observer(observer),
      m_control(control),
      m_runDir(std::move(runDir)) {}

data::LabeledDataset StageData::augmentTinyBert(const StageSpec& s, uint64_t seed, augment::AugmentStats& stats) {
  const auto& a = s.augment;
  if (!a.glove.empty() && m_glovePath != a.glove) {
    m_observer.onMessage("reading word vectors " + a.glove);
    m_glove = augment::GloveVectors::load(a.glove);
    m_glovePath = a.glove;
  }
  augment::TinyBertOptions o;
  o.probability = a.probability;
  o.candidates = a.candidates;
  o.copies = a.copies;
  o.maskEvery = a.maskEvery;
  o.maxLength = m_experiment.task.maxLength;
  augment::TeacherCandidates source(m_teacher, *m_data.tokenizer, a.glove.empty() ? nullptr : &*m_glove, o);
  m_observer.onMessage(s.name + ": augmenting " + std::to_string(m_data.train.examples.size()) +
                       " examples (TinyBERT: p " + std::to_string(a.probability) + ", " + std::to_string(a.copies) +
                       " copies, candidates from " + (source.usesMlm() ? "the teacher's MLM head and " : "") +
                       (a.glove.empty() ? "its word embeddings)" : "GloVe vectors)"));
  int64_t lastTenth = 0;
  return augment::augmentTinyBert(m_data.train, source, o, seed, &stats, [&](int64_t done, int64_t total) {
    const int64_t tenth = done * 10 / std::max<int64_t>(1, total);
    if (tenth > lastTenth && tenth < 10)
      m_observer.onMessage(s.name + ": augmented " + std::to_string(done) + " of " + std::to_string(total) +
                           " examples");
    lastTenth = tenth;
    if (m_control) m_control->checkpoint();
  });
}

const data::EncodedDataset& StageData::augmented(size_t stageIndex) {
  const std::string key = m_experiment.toJson().at("stages").at(stageIndex).at("augment").dump();
  if (auto it = m_bySpec.find(key); it != m_bySpec.end()) return *it->second;
  const StageSpec& s = m_experiment.stages.at(stageIndex);
  const auto& a = s.augment;
  const uint64_t seed = m_experiment.seed + 1000003ULL * (stageIndex + 1);
  augment::AugmentStats stats;
  data::LabeledDataset made;
  const auto t0 = std::chrono::steady_clock::now();
  if (a.method == "tinybert") {
    made = augmentTinyBert(s, seed, stats);
  } else {
    augment::TangOptions o;
    o.maskProbability = a.maskProbability;
    o.replaceProbability = a.replaceProbability;
    o.ngramProbability = a.ngramProbability;
    o.maxNgram = a.maxNgram;
    o.passes = a.passes;
    const auto& specials = m_data.specials;
    const std::string maskText = specials.mask >= 0 ? m_data.tokenizer->idToToken(specials.mask) : std::string("[MASK]");
    made = augment::augmentTang(m_data.train, maskText, o, seed, &stats);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  char line[256];
  std::snprintf(line, sizeof line, "%s: %lld examples + %lld augmented; %.1f%% of %lld candidate words replaced (%.1f s)",
                s.name.c_str(), static_cast<long long>(stats.originals), static_cast<long long>(stats.added),
                stats.wordsConsidered ? 100.0 * static_cast<double>(stats.wordsReplaced) / static_cast<double>(stats.wordsConsidered) : 0.0,
                static_cast<long long>(stats.wordsConsidered), seconds);
  m_observer.onMessage(line);
  if (a.write) {
    fs::create_directories(fs::path(m_runDir) / "augmented");
    const std::string path = (fs::path(m_runDir) / "augmented" / (s.name + ".tsv")).string();
    data::writeDatasetTsv(path, made.examples, made.labels, !m_experiment.task.pairColumn.empty(), made.kind,
                          m_experiment.task.labelSeparator);
    m_observer.onMessage(s.name + ": augmented data written to " + path);
  }
  m_sets.push_back(data::encodeDataset(made, *m_data.tokenizer, m_experiment.task.maxLength));
  m_sets.back().numLabels = m_data.trainEncoded.numLabels;
  m_bySpec[key] = &m_sets.back();
  return m_sets.back();
}

}  // namespace retort::distill
