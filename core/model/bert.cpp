#include "core/model/bert.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "core/model/dropout.h"
#include "core/util/error.h"

namespace retort::model {

namespace F = torch::nn::functional;

torch::Tensor activation(const torch::Tensor& x, const std::string& name) {
  if (name == "gelu") return torch::gelu(x);
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return torch::gelu(x, "tanh");
  if (name == "relu") return torch::relu(x);
  if (name == "silu" || name == "swish") return torch::silu(x);
  throw Error(ErrorKind::InvalidArgument, "unsupported hidden_act \"" + name + "\"");
}

namespace {
torch::nn::LayerNormOptions layerNormOptions(const BertConfig& c) {
  return torch::nn::LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps).elementwise_affine(true);
}
}  // namespace

// ---- embeddings ---------------------------------------------------------------------------

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) : m_dropout(c.hiddenDropoutProb) {
  word_embeddings = register_module(
      "word_embeddings",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(c.vocabSize, c.hiddenSize)));
  position_embeddings = register_module(
      "position_embeddings", torch::nn::Embedding(c.maxPositionEmbeddings, c.hiddenSize));
  token_type_embeddings = register_module(
      "token_type_embeddings", torch::nn::Embedding(c.typeVocabSize, c.hiddenSize));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(layerNormOptions(c)));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& inputIds,
                                          const torch::Tensor& tokenTypeIds) {
  const int64_t seq = inputIds.size(1);
  const int64_t maxPos = position_embeddings->weight.size(0);
  if (seq > maxPos)
    throw Error(ErrorKind::Shape, "input_ids has " + std::to_string(seq) +
                                      " positions; the model has max_position_embeddings " +
                                      std::to_string(maxPos));
  // Position embeddings are rows 0..S-1: a slice, no lookup needed.
  auto x = word_embeddings->forward(inputIds) +
           position_embeddings->weight.narrow(0, 0, seq).unsqueeze(0);
  if (tokenTypeIds.defined())
    x = x + token_type_embeddings->forward(tokenTypeIds);
  else
    x = x + token_type_embeddings->weight[0];
  x = LayerNorm->forward(x);
  return fastDropout(x, m_dropout, is_training());
}

// ---- layer --------------------------------------------------------------------------------

BertSelfAttentionImpl::BertSelfAttentionImpl(const BertConfig& c) {
  query = register_module("query", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
  key = register_module("key", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
  value = register_module("value", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
}

BertResidualOutputImpl::BertResidualOutputImpl(int64_t in, const BertConfig& c) : m_dropout(c.hiddenDropoutProb) {
  dense = register_module("dense", torch::nn::Linear(in, c.hiddenSize));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(layerNormOptions(c)));
}

torch::Tensor BertResidualOutputImpl::forward(const torch::Tensor& x,
                                              const torch::Tensor& residual) {
  return LayerNorm->forward(fastDropout(dense->forward(x), m_dropout, is_training()) + residual);
}

BertAttentionImpl::BertAttentionImpl(const BertConfig& c) {
  self = register_module("self", BertSelfAttention(c));
  output = register_module("output", BertResidualOutput(c.hiddenSize, c));
}

BertIntermediateImpl::BertIntermediateImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hiddenSize, c.intermediateSize));
}

BertLayerImpl::BertLayerImpl(const BertConfig& c)
    : m_heads(c.numAttentionHeads),
      m_headDim(c.headDim()),
      m_attentionDropout(c.attentionProbsDropoutProb),
      m_act(c.hiddenAct) {
  attention = register_module("attention", BertAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertResidualOutput(c.intermediateSize, c));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& maskBias,
                                     torch::Tensor* scoresOut, torch::Tensor* probsOut) {
  const int64_t B = x.size(0), S = x.size(1);
  auto& sa = attention->self;
  // [B,S,H] -> [B,A,S,d]
  auto split = [&](const torch::Tensor& t) {
    return t.view({B, S, m_heads, m_headDim}).transpose(1, 2);
  };
  const double scale = 1.0 / std::sqrt(static_cast<double>(m_headDim));
  torch::Tensor q, k, v;
  if (!torch::GradMode::is_enabled()) {
    // Without autograd (a frozen teacher, evaluation): one [H,3H] product instead of three,
    // fewer passes over x and fewer BLAS thread hand-offs.
    const auto w = torch::cat({sa->query->weight, sa->key->weight, sa->value->weight});
    const auto b = torch::cat({sa->query->bias, sa->key->bias, sa->value->bias});
    const auto qkv = torch::addmm(b, x.reshape({B * S, x.size(2)}), w.t()).view({B, S, 3, m_heads, m_headDim});
    q = qkv.select(2, 0).transpose(1, 2);
    k = qkv.select(2, 1).transpose(1, 2);
    v = qkv.select(2, 2).transpose(1, 2);
  } else {
    q = split(sa->query->forward(x));
    k = split(sa->key->forward(x));
    v = split(sa->value->forward(x));
  }
  auto scores = torch::matmul(q, k.transpose(-1, -2)).mul_(scale);  // [B,A,S,S]
  torch::Tensor masked = scores;
  if (maskBias.defined()) {
    if (scoresOut)
      masked = scores + maskBias;  // keep the unmasked scores intact for the caller
    else
      masked = scores.add_(maskBias);
  }
  if (scoresOut) *scoresOut = scores;
  auto probs = torch::softmax(masked, -1);
  if (probsOut) *probsOut = probs;
  probs = fastDropout(probs, m_attentionDropout, is_training());
  auto context = torch::matmul(probs, v).transpose(1, 2).reshape({B, S, m_heads * m_headDim});
  auto attended = attention->output->forward(context, x);
  auto inner = activation(intermediate->dense->forward(attended), m_act);
  return output->forward(inner, attended);
}

BertEncoderImpl::BertEncoderImpl(const BertConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.numHiddenLayers; ++i) layer->push_back(BertLayer(c));
}

BertPoolerImpl::BertPoolerImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& lastHidden) {
  return torch::tanh(dense->forward(lastHidden.select(1, 0)));
}

// ---- backbone -----------------------------------------------------------------------------

BertBackboneImpl::BertBackboneImpl(const BertConfig& c, bool withPooler) {
  embeddings = register_module("embeddings", BertEmbeddings(c));
  encoder = register_module("encoder", BertEncoder(c));
  for (size_t i = 0; i < encoder->layer->size(); ++i)
    m_layers.emplace_back(encoder->layer->ptr<BertLayerImpl>(i));
  if (withPooler) pooler = register_module("pooler", BertPooler(c));
}

BertOutputs BertBackboneImpl::forward(const BertInputs& in, const ForwardOptions& opt) {
  if (!in.inputIds.defined() || in.inputIds.dim() != 2)
    throw Error(ErrorKind::Shape, "input_ids must be a [batch, seq] tensor");
  if (in.tokenTypeIds.defined() && in.tokenTypeIds.sizes() != in.inputIds.sizes())
    throw Error(ErrorKind::Shape, "token_type_ids must have the shape of input_ids");
  if (in.attentionMask.defined() && in.attentionMask.sizes() != in.inputIds.sizes())
    throw Error(ErrorKind::Shape, "attention_mask must have the shape of input_ids");

  BertOutputs out;
  auto x = embeddings->forward(in.inputIds, in.tokenTypeIds);
  torch::Tensor maskBias;
  // A batch without padding needs no mask at all (checked on the CPU only, where it is free).
  const bool padded = in.attentionMask.defined() &&
                      (!in.attentionMask.device().is_cpu() || in.attentionMask.eq(0).any().item<bool>());
  if (padded) {
    // (1 - mask) * lowest: 0 for tokens, a huge negative for padding; [B,1,1,S].
    const auto lowest = std::numeric_limits<float>::lowest();
    maskBias = (1.0 - in.attentionMask.to(x.scalar_type()))
                   .mul_(lowest)
                   .unsqueeze(1)
                   .unsqueeze(1);
  }
  const size_t L = m_layers.size();
  if (opt.hiddenStates) {
    out.hiddenStates.reserve(L + 1);
    out.hiddenStates.push_back(x);
  }
  if (opt.attentionScores) out.attentionScores.resize(L);
  if (opt.attentionProbs) out.attentionProbs.resize(L);
  for (size_t i = 0; i < L; ++i) {
    x = m_layers[i]->forward(x, maskBias, opt.attentionScores ? &out.attentionScores[i] : nullptr,
                             opt.attentionProbs ? &out.attentionProbs[i] : nullptr);
    if (opt.hiddenStates) out.hiddenStates.push_back(x);
  }
  out.lastHidden = x;
  if (opt.pooled && pooler) out.pooled = pooler->forward(x);
  return out;
}

// ---- heads --------------------------------------------------------------------------------

BertMlmTransformImpl::BertMlmTransformImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hiddenSize, c.hiddenSize));
  LayerNorm = register_module("LayerNorm", torch::nn::LayerNorm(layerNormOptions(c)));
}

BertMlmPredictionsImpl::BertMlmPredictionsImpl(const BertConfig& c) {
  transform = register_module("transform", BertMlmTransform(c));
  bias = register_parameter("bias", torch::zeros({c.vocabSize}));
}

BertMlmHeadImpl::BertMlmHeadImpl(const BertConfig& c) {
  predictions = register_module("predictions", BertMlmPredictions(c));
}

BertHeads headsForTask(const std::string& taskKind, bool mlm) {
  BertHeads h;
  h.mlm = mlm;
  h.tokenClassifier = taskKind == "token_classification";
  h.pooler = !h.tokenClassifier;
  return h;
}

BertModelImpl::BertModelImpl(const BertConfig& c, const BertHeads& heads)
    : m_config(c), m_heads(heads) {
  c.validate();
  if (heads.classifier && !heads.pooler && !heads.tokenClassifier)
    throw Error(ErrorKind::InvalidArgument, "a classifier head needs the pooler");
  bert = register_module("bert", BertBackbone(c, heads.pooler));
  if (heads.classifier) {
    classifier = register_module("classifier", torch::nn::Linear(c.hiddenSize, c.numLabels()));
  }
  if (heads.mlm) cls = register_module("cls", BertMlmHead(c));
  initWeights();
}

BertOutputs BertModelImpl::forward(const BertInputs& in, const ForwardOptions& opt) {
  ForwardOptions backboneOpt = opt;
  backboneOpt.pooled = opt.pooled || (opt.logits && classifier && !m_heads.tokenClassifier);
  BertOutputs out = bert->forward(in, backboneOpt);
  if (opt.logits && classifier)
    out.logits = classifier->forward(fastDropout(m_heads.tokenClassifier ? out.lastHidden : out.pooled,
                                                 m_config.hiddenDropoutProb, is_training()));
  if (opt.mlmLogits && cls) {
    auto h = out.lastHidden;
    if (opt.mlmPositions.defined()) h = h.index({opt.mlmPositions.to(torch::kBool)});
    auto& p = cls->predictions;
    h = p->transform->LayerNorm->forward(
        activation(p->transform->dense->forward(h), m_config.hiddenAct));
    out.mlmLogits = torch::nn::functional::linear(h, bert->embeddings->word_embeddings->weight, p->bias);
  }
  return out;
}

void BertModelImpl::initWeights() {
  torch::NoGradGuard noGrad;
  const double stdDev = m_config.initializerRange;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* linear = module->as<torch::nn::LinearImpl>()) {
      linear->weight.normal_(0.0, stdDev);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* emb = module->as<torch::nn::EmbeddingImpl>()) {
      emb->weight.normal_(0.0, stdDev);
    } else if (auto* ln = module->as<torch::nn::LayerNormImpl>()) {
      ln->weight.fill_(1.0);
      ln->bias.zero_();
    }
  }
  bert->embeddings->word_embeddings->weight[m_config.padTokenId].zero_();
  if (cls) cls->predictions->bias.zero_();
}

int64_t BertModelImpl::parameterCount() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace retort::model
