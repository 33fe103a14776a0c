#include "core/distill/layer_mapping.h"

#include <cmath>
#include <sstream>
#include <string>

#include "core/util/error.h"

namespace retort::distill {
namespace {

void checkCounts(const char* what, int64_t teacherLayers, int64_t studentLayers) {
  if (teacherLayers <= 0 || studentLayers <= 0) {
    throw Error(ErrorKind::InvalidArgument,
                std::string(what) + ": layer counts must be positive (teacher " +
                    std::to_string(teacherLayers) + ", student " + std::to_string(studentLayers) +
                    ")");
  }
  if (studentLayers > teacherLayers) {
    throw Error(ErrorKind::InvalidArgument,
                std::string(what) + ": the student has more layers (" +
                    std::to_string(studentLayers) + ") than the teacher (" +
                    std::to_string(teacherLayers) + ")");
  }
}

/// round(num / den) with halves rounded up, for num >= 0 and den > 0, in integers.
int64_t roundHalfUp(int64_t num, int64_t den) { return (2 * num + den) / (2 * den); }

std::string pairText(size_t index, const LayerPair& p) {
  return "layer mapping, pair " + std::to_string(index) + " (student " + std::to_string(p.student) +
         " -> teacher " + std::to_string(p.teacher) + ")";
}

std::string weightText(double w) {
  std::ostringstream os;
  os << w;
  return os.str();
}

}  // namespace

std::vector<LayerPair> uniformMapping(int64_t teacherLayers, int64_t studentLayers, bool attention,
                                      bool hidden) {
  checkCounts("uniform layer mapping", teacherLayers, studentLayers);
  std::vector<LayerPair> pairs;
  pairs.reserve(static_cast<size_t>(studentLayers));
  for (int64_t m = 1; m <= studentLayers; ++m) {
    pairs.push_back({m, roundHalfUp(m * teacherLayers, studentLayers), attention, hidden, 1.0});
  }
  return pairs;
}

std::vector<LayerPair> lastLayersMapping(int64_t teacherLayers, int64_t studentLayers,
                                         bool attention, bool hidden) {
  checkCounts("last-layers mapping", teacherLayers, studentLayers);
  std::vector<LayerPair> pairs;
  pairs.reserve(static_cast<size_t>(studentLayers));
  for (int64_t m = 1; m <= studentLayers; ++m) {
    pairs.push_back({m, teacherLayers - studentLayers + m, attention, hidden, 1.0});
  }
  return pairs;
}

std::vector<int64_t> everyOtherLayer(int64_t teacherLayers, int64_t studentLayers) {
  checkCounts("student initialisation from teacher layers", teacherLayers, studentLayers);
  if (studentLayers == 1) return {teacherLayers - 1};
  std::vector<int64_t> layers;
  layers.reserve(static_cast<size_t>(studentLayers));
  for (int64_t i = 0; i < studentLayers; ++i) {
    layers.push_back(roundHalfUp(i * (teacherLayers - 1), studentLayers - 1));
  }
  return layers;
}

void validateMapping(const std::vector<LayerPair>& pairs, int64_t teacherLayers,
                     int64_t studentLayers) {
  if (teacherLayers <= 0 || studentLayers <= 0) {
    throw Error(ErrorKind::InvalidArgument,
                "layer mapping: layer counts must be positive (teacher " +
                    std::to_string(teacherLayers) + ", student " + std::to_string(studentLayers) +
                    ")");
  }
  if (pairs.empty()) {
    throw Error(ErrorKind::InvalidArgument,
                "layer mapping: no layer pair is given, so nothing would be matched");
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const LayerPair& p = pairs[i];
    const std::string where = pairText(i, p);
    if (p.student < 0 || p.student > studentLayers) {
      throw Error(ErrorKind::InvalidArgument,
                  where + ": student layer " + std::to_string(p.student) + " is out of range 0.." +
                      std::to_string(studentLayers));
    }
    if (p.teacher < 0 || p.teacher > teacherLayers) {
      throw Error(ErrorKind::InvalidArgument,
                  where + ": teacher layer " + std::to_string(p.teacher) + " is out of range 0.." +
                      std::to_string(teacherLayers));
    }
    for (size_t j = 0; j < i; ++j) {
      if (pairs[j].student == p.student) {
        throw Error(ErrorKind::InvalidArgument,
                    where + ": student layer " + std::to_string(p.student) +
                        " is listed twice (pairs " + std::to_string(j) + " and " +
                        std::to_string(i) + ")");
      }
    }
    if (p.attention && (p.student == 0 || p.teacher == 0)) {
      throw Error(ErrorKind::InvalidArgument,
                  where + ": attention cannot be matched on layer 0 (the embedding output has "
                          "no attention)");
    }
    if (!std::isfinite(p.weight) || p.weight < 0.0) {
      throw Error(ErrorKind::InvalidArgument,
                  where + ": the weight must be a finite number >= 0, not " +
                      weightText(p.weight));
    }
    if (!p.attention && !p.hidden) {
      throw Error(ErrorKind::InvalidArgument,
                  where + ": matches nothing (attention and hidden states are both off)");
    }
  }
}

std::vector<LayerPair> withEmbeddingPair(std::vector<LayerPair> pairs) {
  for (const LayerPair& p : pairs) {
    if (p.student == 0) return pairs;
  }
  pairs.insert(pairs.begin(), LayerPair{0, 0, false, true, 1.0});
  return pairs;
}

}  // namespace retort::distill
