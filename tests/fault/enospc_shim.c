/* A fault-injection shim for tests (LD_PRELOAD): write(2), pwrite(2) and writev(2) on a file
 * whose path contains $RETORT_FAULT_PATH fail with ENOSPC ("No space left on device") once
 * $RETORT_FAULT_AFTER bytes (default 0) have gone to such files, as on a disk that fills up
 * during the write. With $RETORT_FAULT_KILL set, the process kills itself with SIGKILL
 * instead, at that very write (a power loss or kill -9 in the middle of writing a file).
 * Everything else passes through unchanged. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long written = 0;

static int faulty(int fd, size_t want) {
  const char* pattern = getenv("RETORT_FAULT_PATH");
  if (!pattern || !*pattern || fd < 0) return 0;
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = '\0';
  if (!strstr(target, pattern)) return 0;
  const char* after = getenv("RETORT_FAULT_AFTER");
  const long long budget = after ? atoll(after) : 0;
  if (written + (long long)want <= budget) {
    written += (long long)want;
    return 0;
  }
  const char* kill = getenv("RETORT_FAULT_KILL");
  if (kill && *kill) raise(SIGKILL);
  return 1;
}

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real)(int, const void*, size_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  if (count && faulty(fd, count)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void*, size_t, off_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  if (count && faulty(fd, count)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  static ssize_t (*real)(int, const struct iovec*, int);
  if (!real) real = (ssize_t(*)(int, const struct iovec*, int))dlsym(RTLD_NEXT, "writev");
  size_t total = 0;
  for (int i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
  if (total && faulty(fd, total)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, iov, iovcnt);
}
