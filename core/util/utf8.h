#pragma once
// UTF-8 well-formedness, shared by the text readers. Torch-free.

#include <cstddef>
#include <string>
#include <string_view>

namespace retort::util {

/// Offset of the first byte that does not belong to a well-formed UTF-8 sequence
/// (overlong forms, surrogates and code points above U+10FFFF included), or npos.
size_t invalidUtf8At(std::string_view s);

/// "0x" and two hex digits.
std::string hexByte(unsigned char c);

}  // namespace retort::util
