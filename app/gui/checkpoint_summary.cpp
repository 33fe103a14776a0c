#include "app/gui/checkpoint_summary.h"

#include <QStringList>

#include "core/io/checkpoint.h"

namespace retort {
namespace app {

widgets::ArchitectureSummary summarizeCheckpoint(const QString& directory) {
  auto ck = io::loadCheckpoint(directory.toStdString());
  widgets::ArchitectureSummary s;
  const auto& c = ck.config;
  s.source = directory;
  s.layers = c.numHiddenLayers;
  s.hidden = c.hiddenSize;
  s.heads = c.numAttentionHeads;
  s.ffn = c.intermediateSize;
  s.vocab = c.vocabSize;
  s.maxPositions = c.maxPositionEmbeddings;
  s.activation = QString::fromStdString(c.hiddenAct);
  if (ck.model->heads().classifier)
    for (const auto& l : c.labels) s.labels << QString::fromStdString(l);
  s.mlmHead = ck.model->heads().mlm;
  const auto size = io::modelSize(ck.model);
  s.parameters = size.parameters;
  s.sizeMb = size.sizeMb;
  if (ck.tokenizer) s.tokenizer = QString::fromStdString(ck.tokenizer->kind());
  return s;
}

}  // namespace app
}  // namespace retort
