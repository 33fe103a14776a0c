#include "core/augment/augment.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/util/error.h"
#include "core/util/files.h"

namespace retort::augment {
namespace {

const std::string kSentencePieceSpace = "\xE2\x96\x81";  // U+2581, the word-start mark

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

double uniform(std::mt19937_64& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

size_t pick(std::mt19937_64& rng, size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }

}  // namespace

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(current);
    current.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      flush();
    } else if (c < 0x80 && std::ispunct(c)) {
      flush();
      words.emplace_back(1, ch);
    } else {
      current += ch;
    }
  }
  flush();
  return words;
}

bool replaceable(const std::string& word) {
  for (char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c)) return true;
  }
  return false;
}

// ---- GloVe --------------------------------------------------------------------------------

GloveVectors GloveVectors::load(const std::string& path) {
  std::istringstream in(util::readFile(path));
  GloveVectors g;
  std::vector<float> values;
  int64_t dim = -1;
  std::string line;
  int64_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string word;
    if (!(fields >> word)) continue;
    std::vector<float> v;
    std::string field;
    while (fields >> field) {
      char* end = nullptr;
      const float x = std::strtof(field.c_str(), &end);
      if (end == field.c_str() || *end != '\0')
        throw Error(ErrorKind::Format, path + ":" + std::to_string(lineNo) + ": \"" + field + "\" is not a number");
      v.push_back(x);
    }
    if (lineNo == 1 && v.size() == 1) continue;  // a word2vec-style "count dim" header
    if (v.empty()) throw Error(ErrorKind::Format, path + ":" + std::to_string(lineNo) + ": a word without a vector");
    if (dim < 0) dim = static_cast<int64_t>(v.size());
    if (static_cast<int64_t>(v.size()) != dim)
      throw Error(ErrorKind::Format, path + ":" + std::to_string(lineNo) + ": " + std::to_string(v.size()) +
                                         " values, the first vector has " + std::to_string(dim));
    if (g.m_index.count(word)) continue;
    g.m_index[word] = static_cast<int64_t>(g.m_words.size());
    g.m_words.push_back(word);
    values.insert(values.end(), v.begin(), v.end());
  }
  if (g.m_words.empty()) throw Error(ErrorKind::Format, path + ": no word vectors");
  const auto n = static_cast<int64_t>(g.m_words.size());
  g.m_unit = torch::nn::functional::normalize(torch::from_blob(values.data(), {n, dim}).clone(),
                                              torch::nn::functional::NormalizeFuncOptions().dim(1));
  return g;
}

std::vector<std::string> GloveVectors::neighbours(const std::string& word, int64_t k) const {
  auto it = m_index.find(word);
  if (it == m_index.end()) it = m_index.find(lower(word));
  if (it == m_index.end() || k <= 0) return {};
  const auto sims = m_unit.matmul(m_unit[it->second]);
  const int64_t take = std::min<int64_t>(k + 1, sims.size(0));
  const auto idx = std::get<1>(sims.topk(take));
  std::vector<std::string> out;
  for (int64_t i = 0; i < take && static_cast<int64_t>(out.size()) < k; ++i) {
    const int64_t j = idx[i].item<int64_t>();
    if (j != it->second) out.push_back(m_words[static_cast<size_t>(j)]);
  }
  return out;
}

// ---- TinyBERT candidates ------------------------------------------------------------------

TeacherCandidates::TeacherCandidates(model::BertModel teacher, const text::Tokenizer& tokenizer,
                                     const GloveVectors* glove, const TinyBertOptions& options)
    : m_teacher(std::move(teacher)), m_tokenizer(tokenizer), m_glove(glove), m_options(options) {
  if (options.candidates < 1) throw Error(ErrorKind::InvalidArgument, "augment: candidates must be at least 1");
  m_teacher->eval();
  m_mlm = m_teacher->heads().mlm;
  m_specials = tokenizer.specialTokens();
  const int64_t vocab = std::min(tokenizer.vocabSize(), m_teacher->config().vocabSize);
  m_isWord.assign(static_cast<size_t>(m_teacher->config().vocabSize), 0);
  for (int64_t id = 0; id < vocab; ++id) {
    const std::string w = wordOf(id);
    if (w.empty()) continue;
    m_isWord[static_cast<size_t>(id)] = 1;
    m_wordIds.push_back(id);
    m_wordText.push_back(w);
  }
  if (m_wordIds.empty()) throw Error(ErrorKind::InvalidArgument, "augment: the tokenizer has no whole-word pieces");
  torch::NoGradGuard noGrad;
  const auto table = m_teacher->bert->embeddings->word_embeddings->weight.detach().to(torch::kCPU);
  m_unit = torch::nn::functional::normalize(table.index_select(0, torch::tensor(m_wordIds, torch::kLong)),
                                            torch::nn::functional::NormalizeFuncOptions().dim(1));
}

std::string TeacherCandidates::wordOf(int64_t id) const {
  if (id == m_specials.cls || id == m_specials.sep || id == m_specials.pad || id == m_specials.mask ||
      id == m_specials.unk)
    return "";
  std::string piece = m_tokenizer.idToToken(id);
  if (m_tokenizer.kind() == "sentencepiece") {
    if (piece.rfind(kSentencePieceSpace, 0) != 0) return "";
    piece = piece.substr(kSentencePieceSpace.size());
  } else {
    if (piece.rfind("##", 0) == 0) return "";
    if (piece.size() > 2 && piece.front() == '[' && piece.back() == ']') return "";
  }
  return replaceable(piece) ? piece : "";
}

std::vector<std::string> TeacherCandidates::embeddingNeighbours(const std::vector<int64_t>& pieces,
                                                                const std::string& word) {
  auto cached = m_cache.find(word);
  if (cached != m_cache.end()) return cached->second;
  std::vector<std::string> out;
  if (m_glove) {
    out = m_glove->neighbours(word, m_options.candidates);
  } else if (!pieces.empty()) {
    torch::NoGradGuard noGrad;
    const auto& table = m_teacher->bert->embeddings->word_embeddings->weight;
    auto v = table.index_select(0, torch::tensor(pieces, torch::kLong).to(table.device())).mean(0).to(torch::kCPU);
    v = v / v.norm().clamp_min(1e-12);
    const auto sims = m_unit.matmul(v);
    const int64_t take = std::min<int64_t>(m_options.candidates + 8, sims.size(0));
    const auto idx = std::get<1>(sims.topk(take));
    const auto* p = idx.data_ptr<int64_t>();
    const std::string self = lower(word);
    for (int64_t i = 0; i < take && static_cast<int64_t>(out.size()) < m_options.candidates; ++i) {
      const auto& w = m_wordText[static_cast<size_t>(p[i])];
      if (lower(w) != self) out.push_back(w);
    }
  }
  m_cache[word] = out;
  return out;
}

std::vector<CandidateList> TeacherCandidates::candidates(const std::vector<std::string>& words) {
  return candidatesMany({words}).front();
}

std::vector<std::vector<CandidateList>> TeacherCandidates::candidatesMany(
    const std::vector<std::vector<std::string>>& sentences) {
  struct Target {
    size_t sentence, word;
    int64_t position;  // in the sequence, [CLS] at 0
  };
  struct Sequence {
    std::vector<int64_t> ids;
    std::vector<Target> targets;  // ascending positions
  };
  std::vector<std::vector<CandidateList>> out(sentences.size());
  std::vector<Sequence> sequences;
  const int64_t room = std::max<int64_t>(1, m_options.maxLength - 2);
  for (size_t s = 0; s < sentences.size(); ++s) {
    const auto& words = sentences[s];
    out[s].resize(words.size());
    std::vector<int64_t> ids{m_specials.cls};
    std::vector<Target> mlmTargets;
    for (size_t w = 0; w < words.size(); ++w) {
      if (!replaceable(words[w])) {
        auto pieces = m_tokenizer.tokenizeToIds(words[w]);
        for (auto id : pieces)
          if (static_cast<int64_t>(ids.size()) <= room) ids.push_back(id);
        continue;
      }
      const auto pieces = m_tokenizer.tokenizeToIds(words[w]);
      const bool single = pieces.size() == 1 && pieces[0] >= 0 &&
                          pieces[0] < static_cast<int64_t>(m_isWord.size()) && m_isWord[static_cast<size_t>(pieces[0])];
      const bool fits = static_cast<int64_t>(ids.size() + pieces.size()) <= room + 1;
      if (m_mlm && single && fits) {
        mlmTargets.push_back({s, w, static_cast<int64_t>(ids.size())});
      } else {
        out[s][w] = {embeddingNeighbours(pieces, words[w]), m_glove ? "glove" : "embedding"};
      }
      for (auto id : pieces)
        if (static_cast<int64_t>(ids.size()) <= room) ids.push_back(id);
    }
    ids.push_back(m_specials.sep);
    // Masked sequences: one target each, or every k-th target together.
    const size_t groups = m_options.maskEvery > 0 ? std::min<size_t>(static_cast<size_t>(m_options.maskEvery),
                                                                      mlmTargets.size())
                                                  : mlmTargets.size();
    for (size_t g = 0; g < groups; ++g) {
      Sequence q;
      q.ids = ids;
      for (size_t t = g; t < mlmTargets.size(); t += groups) {
        q.targets.push_back(mlmTargets[t]);
        q.ids[static_cast<size_t>(mlmTargets[t].position)] = m_specials.mask;
      }
      sequences.push_back(std::move(q));
    }
  }
  if (sequences.empty()) return out;
  if (m_specials.mask < 0 || m_specials.cls < 0 || m_specials.sep < 0)
    throw Error(ErrorKind::InvalidArgument, "augment: the tokenizer lacks [CLS], [SEP] or [MASK]");

  torch::NoGradGuard noGrad;
  const auto device = m_teacher->bert->embeddings->word_embeddings->weight.device();
  const int64_t vocab = m_teacher->config().vocabSize;
  const int64_t take = std::min<int64_t>(vocab, m_options.candidates * 3 + 16);
  const auto batch = static_cast<size_t>(std::max<int64_t>(1, m_options.batchSize));
  for (size_t start = 0; start < sequences.size(); start += batch) {
    const size_t end = std::min(sequences.size(), start + batch);
    size_t longest = 0;
    for (size_t i = start; i < end; ++i) longest = std::max(longest, sequences[i].ids.size());
    const auto B = static_cast<int64_t>(end - start), S = static_cast<int64_t>(longest);
    auto ids = torch::full({B, S}, m_specials.pad < 0 ? 0 : m_specials.pad, torch::kLong);
    auto mask = torch::zeros({B, S}, torch::kLong);
    auto positions = torch::zeros({B, S}, torch::kBool);
    auto idsA = ids.accessor<int64_t, 2>();
    auto maskA = mask.accessor<int64_t, 2>();
    auto posA = positions.accessor<bool, 2>();
    for (size_t i = start; i < end; ++i) {
      const auto r = static_cast<int64_t>(i - start);
      const auto& q = sequences[i];
      for (size_t j = 0; j < q.ids.size(); ++j) {
        idsA[r][static_cast<int64_t>(j)] = q.ids[j];
        maskA[r][static_cast<int64_t>(j)] = 1;
      }
      for (const auto& t : q.targets) posA[r][t.position] = true;
    }
    model::BertInputs in;
    in.inputIds = ids.to(device);
    in.attentionMask = mask.to(device);
    model::ForwardOptions fo;
    fo.pooled = fo.logits = false;
    fo.mlmLogits = true;
    fo.mlmPositions = positions.to(device);
    const auto logits = m_teacher->forward(in, fo).mlmLogits;  // [K, V], row-major order of positions
    const auto top = std::get<1>(logits.topk(take, -1)).to(torch::kCPU).contiguous();
    const auto* p = top.data_ptr<int64_t>();
    int64_t row = 0;
    for (size_t i = start; i < end; ++i) {
      for (const auto& t : sequences[i].targets) {
        const std::string self = lower(sentences[t.sentence][t.word]);
        CandidateList list{{}, "mlm"};
        for (int64_t j = 0; j < take && static_cast<int64_t>(list.words.size()) < m_options.candidates; ++j) {
          const int64_t id = p[row * take + j];
          if (id < 0 || id >= static_cast<int64_t>(m_isWord.size()) || !m_isWord[static_cast<size_t>(id)]) continue;
          std::string w = wordOf(id);
          if (lower(w) != self) list.words.push_back(std::move(w));
        }
        out[t.sentence][t.word] = std::move(list);
        ++row;
      }
    }
  }
  return out;
}

// ---- the two augmentations ----------------------------------------------------------------

data::LabeledDataset augmentTinyBert(const data::LabeledDataset& in, TeacherCandidates& source,
                                     const TinyBertOptions& options, uint64_t seed, AugmentStats* stats,
                                     const std::function<void(int64_t, int64_t)>& progress) {
  if (options.probability < 0 || options.probability > 1)
    throw Error(ErrorKind::InvalidArgument, "augment: probability must lie in [0, 1]");
  data::LabeledDataset out;
  out.source = in.source;
  out.labels = in.labels;
  out.kind = in.kind;
  out.examples = in.examples;
  AugmentStats local;
  local.originals = static_cast<int64_t>(in.examples.size());
  std::mt19937_64 rng(seed);
  const size_t chunk = 32;
  const auto total = static_cast<int64_t>(in.examples.size());
  for (size_t start = 0; start < in.examples.size(); start += chunk) {
    const size_t end = std::min(in.examples.size(), start + chunk);
    std::vector<std::vector<std::string>> sentences;
    for (size_t i = start; i < end; ++i) sentences.push_back(splitWords(in.examples[i].text));
    const auto lists = source.candidatesMany(sentences);
    for (size_t i = start; i < end; ++i) {
      const auto& words = sentences[i - start];
      const auto& cands = lists[i - start];
      for (const auto& c : cands)
        if (!c.words.empty()) ++local.bySource[c.source];
      for (int64_t copy = 0; copy < options.copies; ++copy) {
        std::vector<std::string> w = words;
        for (size_t j = 0; j < w.size(); ++j) {
          if (cands[j].words.empty()) continue;
          ++local.wordsConsidered;
          if (uniform(rng) < options.probability) {
            w[j] = cands[j].words[pick(rng, cands[j].words.size())];
            ++local.wordsReplaced;
          }
        }
        data::Example e = in.examples[i];
        e.text = join(w);
        out.examples.push_back(std::move(e));
        ++local.added;
      }
    }
    if (progress) progress(static_cast<int64_t>(end), total);
  }
  if (stats) *stats = local;
  return out;
}

data::LabeledDataset augmentTang(const data::LabeledDataset& in, const std::string& maskToken,
                                 const TangOptions& options, uint64_t seed, AugmentStats* stats) {
  if (options.maskProbability + options.replaceProbability > 1)
    throw Error(ErrorKind::InvalidArgument, "augment: mask_probability + replace_probability exceed 1");
  if (options.maxNgram < 1) throw Error(ErrorKind::InvalidArgument, "augment: max_ngram must be at least 1");
  // The dataset's unigram distribution over replaceable words (sorted: platform-independent).
  std::map<std::string, double> counts;
  std::vector<std::vector<std::string>> split;
  for (const auto& e : in.examples) {
    split.push_back(splitWords(e.text));
    for (const auto& w : split.back())
      if (replaceable(w)) counts[w] += 1;
  }
  std::vector<std::string> vocab;
  std::vector<double> weights;
  for (const auto& [w, c] : counts) {
    vocab.push_back(w);
    weights.push_back(c);
  }
  std::discrete_distribution<size_t> unigram(weights.begin(), weights.end());

  data::LabeledDataset out;
  out.source = in.source;
  out.labels = in.labels;
  out.kind = in.kind;
  out.examples = in.examples;
  AugmentStats local;
  local.originals = static_cast<int64_t>(in.examples.size());
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < in.examples.size(); ++i) {
    std::set<std::string> seen{join(split[i])};
    for (int64_t pass = 0; pass < options.passes; ++pass) {
      std::vector<std::string> w = split[i];
      for (auto& word : w) {
        if (!replaceable(word)) continue;
        ++local.wordsConsidered;
        const double r = uniform(rng);
        if (r < options.maskProbability) {
          word = maskToken;
          ++local.wordsReplaced;
        } else if (r < options.maskProbability + options.replaceProbability && !vocab.empty()) {
          word = vocab[unigram(rng)];
          ++local.wordsReplaced;
        }
      }
      if (!w.empty() && uniform(rng) < options.ngramProbability) {
        const size_t n = std::min(w.size(), static_cast<size_t>(1 + pick(rng, static_cast<size_t>(options.maxNgram))));
        const size_t from = pick(rng, w.size() - n + 1);
        w = std::vector<std::string>(w.begin() + static_cast<long>(from), w.begin() + static_cast<long>(from + n));
      }
      std::string text = join(w);
      if (text.empty() || !seen.insert(text).second) continue;
      data::Example e = in.examples[i];
      e.text = std::move(text);
      out.examples.push_back(std::move(e));
      ++local.added;
    }
  }
  if (stats) *stats = local;
  return out;
}

}  // namespace retort::augment
