#pragma once
// LibTorch's default CPU generator (weight initialisation, dropout) is one per process and
// shared by every thread. A run draws from it from its torch::manual_seed on; a thread that
// builds a model meanwhile (the workbench's attention probe loading a checkpoint: module
// constructors draw their initial weights) would shift the run's draws, and the same
// experiment would train differently in the window than from the command line.
//
// So a run owns the generator (RunRandom, for the run's whole length) and gives it up only
// between its steps (RandomTurn); any other user draws inside IsolatedRandom, which waits for
// such a turn and restores the generator's state when it ends: the run sees none of its draws.

#include <torch/types.h>

namespace retort::model {

/// The calling thread owns the generator until the end of the scope (nests).
class RunRandom {
 public:
  RunRandom();
  ~RunRandom();
  RunRandom(const RunRandom&) = delete;
  RunRandom& operator=(const RunRandom&) = delete;
};

/// Between two steps of a run: the owner lets the threads waiting in IsolatedRandom go first
/// (for the whole scope: a paused run lets any number through) and takes the generator back at
/// the end, after them. Does nothing on a thread that does not own it.
class RandomTurn {
 public:
  RandomTurn();
  ~RandomTurn();
  RandomTurn(const RandomTurn&) = delete;
  RandomTurn& operator=(const RandomTurn&) = delete;

 private:
  int m_depth = 0;  ///< the owner's nesting depth given up (0: nothing to take back)
};

/// Draws that must not change a run's: waits until no run owns the generator (between its
/// steps), and puts the generator's state back at the end of the scope.
class IsolatedRandom {
 public:
  IsolatedRandom();
  ~IsolatedRandom();
  IsolatedRandom(const IsolatedRandom&) = delete;
  IsolatedRandom& operator=(const IsolatedRandom&) = delete;

 private:
  torch::Tensor m_state;
};

}  // namespace retort::model
