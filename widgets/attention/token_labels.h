#pragma once
// Tokens as a reader expects to see them. Tokenizers mark how pieces join into words:
// sentencepiece puts "▁" (U+2581) before a piece that starts a word, WordPiece puts "##"
// before a piece that continues one. Labels drop those marks; a piece that continues a word
// is shown after a middle dot ("·ization") and drawn in a quieter colour, so word starts stand
// out without the mark glued to them. Special tokens ([CLS], <s>, ...) stay as they are.
// Tooltips keep the raw piece.

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {
namespace widgets {

struct TokenLabel {
  QString text;               ///< what is drawn
  bool continuation = false;  ///< the piece continues the word before it
  bool special = false;       ///< [CLS], [SEP], <s>, </s>, <pad>, ...
};

/// One label per token. The marking scheme is sentencepiece when any token starts with "▁",
/// WordPiece otherwise. A lone "▁" becomes "␣"; punctuation-only pieces are never
/// continuations (a reader sees "," after a word, not "·,").
QVector<TokenLabel> tokenLabels(const QStringList& tokens);
/// The texts of tokenLabels().
QStringList displayTokens(const QStringList& tokens);

}  // namespace widgets
}  // namespace retort
