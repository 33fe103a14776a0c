#pragma once
// Small helpers shared by the Qt Test executables.

#include <QtTest/QtTest>

#include <functional>
#include <string>

namespace retort::test {

/// Path of a committed fixture file (tests/fixtures/...).
inline std::string fixture(const std::string& relative) {
  return std::string(RETORT_FIXTURES_DIR) + "/" + relative;
}

/// Runs fn and returns the message of the exception it throws; fails the test when it
/// throws nothing. Use with QVERIFY(msg.contains(...)) to assert on the wording.
template <typename Fn>
QString thrownMessage(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
  return QStringLiteral("<no exception>");
}

}  // namespace retort::test
