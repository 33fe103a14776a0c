#pragma once
// An exclusive lock on a directory: an flock(2) on DIR/.lock, which holds the owner's pid and
// host. The kernel drops it when the owner exits, however it exits (a crash or SIGKILL
// leaves a stale file, never a stale lock). Keeps two Retorts out of one run directory.

#include <string>

namespace retort::util {

class DirectoryLock {
 public:
  /// Takes the lock of directory (which must exist). Throws Error(Io) "<dir>/.lock: the run
  /// directory is in use by another Retort (pid P on HOST)" when it is held, and Error(Io)
  /// naming the file and the system's reason when it cannot be created.
  explicit DirectoryLock(const std::string& directory);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  const std::string& path() const { return m_path; }

  /// Who holds the lock of directory now ("pid P on HOST"), or empty when nobody does.
  static std::string holder(const std::string& directory);

 private:
  std::string m_path;
  int m_fd = -1;
};

}  // namespace retort::util
