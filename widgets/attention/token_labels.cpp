#include "widgets/attention/token_labels.h"

namespace retort {
namespace widgets {
namespace {

const QChar kWordStart(0x2581);
const QChar kMiddleDot(0x00B7);

bool isSpecial(const QString& t) {
  return t.size() >= 3 && ((t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']'))) ||
                           (t.startsWith(QLatin1Char('<')) && t.endsWith(QLatin1Char('>'))));
}

bool isPunctuation(const QString& t) {
  if (t.isEmpty()) return false;
  for (const QChar c : t)
    if (!c.isPunct() && !c.isSymbol()) return false;
  return true;
}

}  // namespace

QVector<TokenLabel> tokenLabels(const QStringList& tokens) {
  bool sentencepiece = false;
  for (const QString& t : tokens) sentencepiece = sentencepiece || t.startsWith(kWordStart);
  QVector<TokenLabel> labels;
  labels.reserve(tokens.size());
  bool afterWord = false;  // a word (not a special) came before this piece
  for (const QString& raw : tokens) {
    TokenLabel l;
    if (isSpecial(raw)) {
      l.text = raw;
      l.special = true;
      afterWord = false;
    } else if (sentencepiece) {
      const bool start = raw.startsWith(kWordStart);
      QString text = start ? raw.mid(1) : raw;
      if (text.isEmpty()) text = QString(QChar(0x2423));  // a lone word-start mark: an open box
      l.continuation = !start && afterWord && !isPunctuation(text);
      l.text = text;
      afterWord = true;
    } else {
      const bool continues = raw.startsWith(QStringLiteral("##")) && raw.size() > 2;
      l.text = continues ? raw.mid(2) : raw;
      l.continuation = continues;
      afterWord = true;
    }
    if (l.continuation) l.text.prepend(kMiddleDot);
    labels.push_back(l);
  }
  return labels;
}

QStringList displayTokens(const QStringList& tokens) {
  QStringList out;
  for (const TokenLabel& l : tokenLabels(tokens)) out << l.text;
  return out;
}

}  // namespace widgets
}  // namespace retort
