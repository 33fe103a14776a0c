#pragma once
// Size and cost of a model from its shape alone, before anything is built: the parameter
// count (exactly what model::BertModel / model::BiLstmClassifier hold) and the multiply-adds
// of the matrix products per token, for the set-up panels' "n× smaller, about m× faster".
// Torch-free and Qt-free.

#include <cstdint>

namespace retort::eval {

/// A BERT encoder with the heads Retort builds for classification.
struct BertEstimateShape {
  int64_t layers = 4;        ///< L
  int64_t hidden = 256;      ///< H
  int64_t heads = 4;         ///< does not change the count; H must be a multiple of it
  int64_t ffn = 1024;        ///< F, intermediate size
  int64_t vocab = 8000;      ///< V
  int64_t maxPositions = 512;
  int64_t typeVocab = 2;
  int64_t labels = 2;        ///< C; 0 = no classifier
  bool pooler = true;        ///< the pooler (H×H + H); the classifier needs it
  bool mlmHead = false;      ///< the MLM head (transform H×H + H, LayerNorm 2H, decoder bias V; decoder tied)
};

/// A BiLSTM student (Tang et al.): embedding, one bidirectional LSTM layer, ReLU dense, classifier.
struct BiLstmEstimateShape {
  int64_t vocab = 8000;      ///< V
  int64_t embeddingDim = 300;  ///< E
  int64_t hidden = 150;      ///< h, per direction
  int64_t denseHidden = 200; ///< D
  int64_t labels = 2;        ///< C
};

struct ModelEstimate {
  int64_t parameters = 0;
  double sizeMb = 0.0;         ///< float32: 4 bytes per parameter / 10^6
  /// Floating-point operations (2 per multiply-add) of the matrix products per token at the
  /// given sequence length (attention's QKᵀ and AV included, embeddings and norms left out).
  double flopsPerToken = 0.0;
};

/// Parameters: embeddings (V + P + T)·H + 2H; per layer 4(H² + H) + 2H (attention, output
/// LayerNorm) + 2HF + F + H + 2H (feed-forward, LayerNorm); pooler H² + H; classifier HC + C;
/// MLM head H² + H + 2H + V. FLOPs per token at length S: 2L(4H² + 2HF) + 4LSH.
ModelEstimate estimateBert(const BertEstimateShape& shape, int64_t sequence);

/// Parameters: VE + 2·4h(E + h + 2) (PyTorch's LSTM keeps two bias vectors per gate) +
/// 2hD + D + DC + C. FLOPs per token: 2·2·4h(E + h) for the LSTM's two directions (the dense
/// and classifier layers run once per sequence and are left out).
ModelEstimate estimateBiLstm(const BiLstmEstimateShape& shape);

/// teacher / student, or 0 when the student's figure is 0.
double ratio(double teacher, double student);

}  // namespace retort::eval
