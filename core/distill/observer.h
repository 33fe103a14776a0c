#pragma once
// How a run reports to its caller and how the caller steers it. Callbacks are invoked on the
// training thread; they must return quickly (copy what they need and hand it on).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "core/distill/metrics.h"

namespace retort::distill {

class Observer {
 public:
  virtual ~Observer() = default;
  /// A phase begins: teacher pre-training/fine-tuning or one of the experiment's stages.
  virtual void onStageStart(const std::string& /*name*/, int /*index*/, int /*count*/, int64_t /*steps*/) {}
  virtual void onStep(const StepMetrics& /*metrics*/) {}
  virtual void onEval(const EvalMetrics& /*metrics*/) {}
  virtual void onAttention(const AttentionSnapshot& /*snapshot*/) {}
  /// Progress notes ("loading the teacher", "training the tokenizer").
  virtual void onMessage(const std::string& /*text*/) {}
  /// Whether attention snapshots are wanted at all (they cost a forward pass each).
  virtual bool wantsAttention() const { return true; }
};

/// Pause, resume and cancel a run from another thread.
class RunControl {
 public:
  void requestCancel() {
    m_cancel = true;
    m_cv.notify_all();
  }
  void pause() { m_paused = true; }
  void resume() {
    m_paused = false;
    m_cv.notify_all();
  }
  /// A new probe sentence for the attention snapshots of the running run (any thread); the
  /// trainer takes it at the next snapshot.
  void setProbe(const std::string& text) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_probe = text;
    m_hasProbe = true;
  }
  /// The probe set since the last call, if any (the trainer's side).
  bool takeProbe(std::string& text) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_hasProbe) return false;
    text = m_probe;
    m_hasProbe = false;
    return true;
  }
  bool cancelled() const { return m_cancel; }
  bool paused() const { return m_paused; }
  /// Called by the trainer between steps: blocks while paused; true when cancelled.
  bool checkpoint() {
    if (m_paused) {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_cv.wait(lock, [this] { return !m_paused || m_cancel; });
    }
    return m_cancel;
  }

 private:
  std::atomic<bool> m_cancel{false};
  std::atomic<bool> m_paused{false};
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::string m_probe;
  bool m_hasProbe = false;
};

}  // namespace retort::distill
