#pragma once
// model.safetensors.index.json: the index of a sharded Hugging Face checkpoint. Torch-free.

#include <string>
#include <vector>

namespace retort::io {

/// The shard file names listed in the index's "weight_map" (each once, in the order they first
/// appear). Throws retort::Error: Io when the file cannot be read; Format ("path: reason") when
/// it is not JSON, has no "weight_map" object, a value that is not a file name, or a name that
/// points outside the checkpoint's directory (a '/', a '\\' or "..").
std::vector<std::string> readSafetensorsIndex(const std::string& indexPath);

}  // namespace retort::io
