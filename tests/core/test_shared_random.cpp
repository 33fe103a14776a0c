// The process's generator shared between a run and other threads (core/model/shared_random.h):
// draws made in IsolatedRandom on another thread, between a run's steps, leave the run's
// sequence exactly as without them; outside a turn they wait for one.

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <thread>

#include "core/model/shared_random.h"

using retort::model::IsolatedRandom;
using retort::model::RandomTurn;
using retort::model::RunRandom;

class TestSharedRandom : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void drawsOfAnotherThreadDoNotShiftTheRun() {
    torch::manual_seed(7);
    const auto a1 = torch::rand({4});
    const auto a2 = torch::rand({4});

    std::atomic<bool> started{false}, done{false};
    torch::Tensor drawnThere;
    torch::Tensor b1, b2;
    std::thread other;
    {
      RunRandom owns;
      torch::manual_seed(7);
      b1 = torch::rand({4});
      other = std::thread([&] {
        started = true;
        IsolatedRandom isolated;
        drawnThere = torch::rand({1000});  // e.g. a module's initial weights
        done = true;
      });
      while (!started) std::this_thread::yield();
      // Outside a turn the other thread waits.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      QVERIFY(!done);
      {
        RandomTurn turn;  // between two steps
        for (int i = 0; i < 500 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QVERIFY(done);
      }
      b2 = torch::rand({4});
    }
    other.join();
    QVERIFY(torch::equal(a1, b1));
    QVERIFY2(torch::equal(a2, b2), "the run's second draw moved");
    QCOMPARE(drawnThere.numel(), int64_t(1000));
    // The other thread drew from where the run stood, and the run still drew the same after:
    // its state was put back.
    QVERIFY(torch::equal(drawnThere.slice(0, 0, 4), a2));
  }

  void aTurnWithoutARunDoesNothing() {
    torch::manual_seed(3);
    const auto a = torch::rand({2});
    torch::manual_seed(3);
    { RandomTurn turn; }
    { IsolatedRandom isolated; torch::rand({10}); }
    QVERIFY(torch::equal(a, torch::rand({2})));  // IsolatedRandom put the state back
  }
};

QTEST_GUILESS_MAIN(TestSharedRandom)
#include "test_shared_random.moc"
