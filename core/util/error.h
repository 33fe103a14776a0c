#pragma once
// Errors that core reports. Every message names what went wrong and where: the file,
// the line, the JSON field or the tensor. Core never words errors for a GUI (no tr());
// the app shows Error::what() inside a translated sentence.

#include <stdexcept>
#include <string>

namespace retort {

/// What kind of failure an Error is, so that callers can react without parsing text.
enum class ErrorKind {
  InvalidArgument,  ///< a bad value given by the caller or on the command line
  Io,               ///< a file could not be opened, read or written
  Format,           ///< a file was read but its content is malformed
  Shape,            ///< a tensor has the wrong shape or dtype
  Unsupported,      ///< a valid request that Retort refuses on purpose (e.g. pickle files)
  Runtime           ///< a failure while computing (NaN loss, out of memory)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  ErrorKind kind() const noexcept { return m_kind; }

 private:
  ErrorKind m_kind;
};

}  // namespace retort
