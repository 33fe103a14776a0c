// Anchor for the shared precompiled header of the core tests (tests/CMakeLists.txt).
