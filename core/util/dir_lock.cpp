#include "core/util/dir_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/util/error.h"

namespace retort::util {
namespace {

std::string lockPath(const std::string& directory) { return directory + "/.lock"; }

std::string readOwner(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "unknown pid";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown pid" : s;
}

}  // namespace

DirectoryLock::DirectoryLock(const std::string& directory) : m_path(lockPath(directory)) {
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) throw Error(ErrorKind::Io, m_path + ": cannot create the lock file: " + std::strerror(errno));
  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string owner = readOwner(m_fd);
    ::close(m_fd);
    m_fd = -1;
    if (err == EWOULDBLOCK)
      throw Error(ErrorKind::Io, m_path + ": the run directory is in use by another Retort (" + owner + ")");
    throw Error(ErrorKind::Io, m_path + ": cannot lock: " + std::strerror(err));
  }
  char host[128] = "localhost";
  ::gethostname(host, sizeof host - 1);
  host[sizeof host - 1] = '\0';
  const std::string owner = "pid " + std::to_string(::getpid()) + " on " + host + "\n";
  if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, owner.data(), owner.size(), 0) < 0) {
    // The lock holds without its note; the note only improves the message of a second Retort.
  }
}

DirectoryLock::~DirectoryLock() {
  if (m_fd >= 0) {
    if (::ftruncate(m_fd, 0) != 0) {
      // The stale note is harmless: holder() asks the kernel, not the file.
    }
    ::close(m_fd);  // releases the flock
  }
}

std::string DirectoryLock::holder(const std::string& directory) {
  const std::string path = lockPath(directory);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string who;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) who = errno == EWOULDBLOCK ? readOwner(fd) : std::string();
  else ::flock(fd, LOCK_UN);
  ::close(fd);
  return who;
}

}  // namespace retort::util
