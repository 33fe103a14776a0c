#include "core/distributed/reducer.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

#include <chrono>
#include <mutex>

#include "core/distributed/world_impl.h"
#include "core/util/error.h"

namespace retort::distributed {

struct GradientReducer::Impl {
  struct Param {
    torch::Tensor tensor;
    size_t bucket = 0;
    int64_t offset = 0;
  };
  struct Bucket {
    std::vector<size_t> params;
    torch::Tensor flat;
    size_t ready = 0;
    c10::intrusive_ptr<c10d::Work> work;
  };

  World& world;
  std::vector<Param> params;
  std::vector<Bucket> buckets;
  std::vector<char> ready;
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;
  std::vector<uintptr_t> hookKeys;
  std::mutex mutex;
  bool armed = false;
  size_t next = 0;  ///< the next bucket to launch: buckets go out in order on every rank
  double waited = 0.0;
  size_t bytes = 0;

  explicit Impl(World& w) : world(w) {}

  void launch(size_t b) {
    auto& bucket = buckets[b];
    for (size_t i : bucket.params) {
      const auto& p = params[i];
      auto slice = bucket.flat.narrow(0, p.offset, p.tensor.numel());
      const auto& grad = p.tensor.grad();
      if (grad.defined()) slice.copy_(grad.reshape({-1}));
      else slice.zero_();
    }
    std::vector<torch::Tensor> list{bucket.flat};
    c10d::AllreduceOptions o;
    o.reduceOp = c10d::ReduceOp::SUM;
    o.timeout = world.impl().spec.timeout;
    bucket.work = world.impl().pg->allreduce(list, o);
    bytes += static_cast<size_t>(bucket.flat.numel()) * bucket.flat.element_size();
  }

  void launchReady() {
    while (next < buckets.size() && buckets[next].ready == buckets[next].params.size()) launch(next++);
  }

  void markReady(size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!armed || ready[i]) return;
    ready[i] = 1;
    ++buckets[params[i].bucket].ready;
    launchReady();
  }
};

GradientReducer::GradientReducer(World& world, std::vector<torch::Tensor> tensors, size_t bucketBytes)
    : m(std::make_unique<Impl>(world)) {
  // Buckets in reverse order (the order backward produces gradients), one dtype and device
  // each; a tensor that would take a bucket past bucketBytes starts the next one (a large
  // embedding gets a bucket of its own, and the layers' buckets go out while backward
  // still computes it).
  size_t filled = 0;
  for (size_t k = tensors.size(); k-- > 0;) {
    const auto& t = tensors[k];
    if (!t.requires_grad()) continue;
    const size_t size = static_cast<size_t>(t.numel()) * t.element_size();
    const bool fresh = m->buckets.empty() || (filled > 0 && filled + size > bucketBytes) ||
                       m->params[m->buckets.back().params.front()].tensor.scalar_type() != t.scalar_type() ||
                       m->params[m->buckets.back().params.front()].tensor.device() != t.device();
    if (fresh) {
      m->buckets.emplace_back();
      filled = 0;
    }
    Impl::Param p;
    p.tensor = t;
    p.bucket = m->buckets.size() - 1;
    p.offset = static_cast<int64_t>(filled / t.element_size());
    m->buckets.back().params.push_back(m->params.size());
    m->params.push_back(p);
    filled += size;
  }
  for (auto& b : m->buckets) {
    int64_t numel = 0;
    for (size_t i : b.params) numel += m->params[i].tensor.numel();
    b.flat = torch::zeros({numel}, m->params[b.params.front()].tensor.options().requires_grad(false));
  }
  m->ready.assign(m->params.size(), 0);
  Impl* raw = m.get();
  for (size_t i = 0; i < m->params.size(); ++i) {
    auto acc = torch::autograd::impl::grad_accumulator(m->params[i].tensor);
    m->hookKeys.push_back(acc->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
        [raw, i](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
          raw->markReady(i);
          return outputs;
        })));
    m->accumulators.push_back(std::move(acc));
  }
}

GradientReducer::~GradientReducer() {
  for (size_t i = 0; i < m->accumulators.size(); ++i) m->accumulators[i]->del_post_hook(m->hookKeys[i]);
}

void GradientReducer::prepare() {
  std::lock_guard<std::mutex> lock(m->mutex);
  std::fill(m->ready.begin(), m->ready.end(), 0);
  for (auto& b : m->buckets) {
    b.ready = 0;
    b.work.reset();
  }
  m->next = 0;
  m->bytes = 0;
  m->armed = true;
}

void GradientReducer::finish(const std::string& what) {
  {
    std::lock_guard<std::mutex> lock(m->mutex);
    m->armed = false;
    while (m->next < m->buckets.size()) m->launch(m->next++);  // with the parameters backward did not reach
  }
  const auto started = std::chrono::steady_clock::now();
  torch::NoGradGuard noGrad;
  for (auto& b : m->buckets) {
    m->world.impl().wait(m->world, b.work, what);
    b.work.reset();
    for (size_t i : b.params) {
      auto& p = m->params[i];
      auto& grad = p.tensor.mutable_grad();
      if (grad.defined()) grad.copy_(b.flat.narrow(0, p.offset, p.tensor.numel()).view(grad.sizes()));
    }
  }
  m->waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

size_t GradientReducer::buckets() const { return m->buckets.size(); }
double GradientReducer::lastWaitSeconds() const { return m->waited; }
size_t GradientReducer::lastBytes() const { return m->bytes; }

}  // namespace retort::distributed
