// Tests of Retort's safetensors reader/writer (core/io/safetensors.h) and its LibTorch
// adapter (core/io/safetensors_torch.h): bit-exact round trips, a file written by an
// independent Python writer, one case per malformed input, atomic writes, and fuzzing.

#include "core/io/safetensors.h"
#include "core/io/safetensors_torch.h"
#include "core/util/error.h"
#include "test_util.h"

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <random>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace retort;
using namespace retort::io;

Q_DECLARE_METATYPE(retort::io::DType)
Q_DECLARE_METATYPE(retort::ErrorKind)

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string lengthPrefix(uint64_t n) {
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return prefix;
}

/// A file made of the given header text and dataSize zero bytes of data.
std::string makeFile(const std::string& header, size_t dataSize) {
  return lengthPrefix(header.size()) + header + std::string(dataSize, '\0');
}

/// Entries of a directory other than "." and "..".
QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

struct Caught {
  bool retortError = false;
  ErrorKind kind = ErrorKind::Runtime;
  QString message = QStringLiteral("<no exception>");
};

template <typename Fn>
Caught caught(Fn&& fn) {
  Caught c;
  try {
    fn();
  } catch (const Error& e) {
    c.retortError = true;
    c.kind = e.kind();
    c.message = QString::fromUtf8(e.what());
  } catch (const std::exception& e) {
    c.message = QString::fromUtf8(e.what());
  }
  return c;
}

template <typename T>
std::string bytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string tensorBytes(const torch::Tensor& t) {
  const auto c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.nbytes()));
}

uint32_t floatBits(float f) {
  uint32_t bits = 0;
  std::memcpy(&bits, &f, 4);
  return bits;
}

/// Raw test patterns for every dtype: edge values and NaN payloads as bit patterns.
std::string patternFor(DType dtype) {
  switch (dtype) {
    case DType::F64:
      return bytesOf(std::vector<uint64_t>{0x3FF0000000000000ull, 0x8000000000000000ull,
                                           0x7FF0000000000001ull, 0xFFF8DEADBEEF0001ull,
                                           0x0000000000000001ull, 0x7FEFFFFFFFFFFFFFull});
    case DType::F32:
      return bytesOf(std::vector<uint32_t>{0x3F800000u, 0x80000000u, 0x7F800001u, 0xFFC0BEEFu,
                                           0x00000001u, 0x7F7FFFFFu});
    case DType::F16:
      return bytesOf(std::vector<uint16_t>{0x3C00, 0x8000, 0x7C01, 0xFE37, 0x0001, 0x7BFF});
    case DType::BF16:
      return bytesOf(std::vector<uint16_t>{0x3F80, 0x8000, 0x7F81, 0xFFC5, 0x0001, 0x7F7F});
    case DType::I64:
      return bytesOf(std::vector<int64_t>{0, -1, INT64_MIN, INT64_MAX, 1ll << 53, 42});
    case DType::I32:
      return bytesOf(std::vector<int32_t>{0, -1, INT32_MIN, INT32_MAX, 65536, 42});
    case DType::I16:
      return bytesOf(std::vector<int16_t>{0, -1, INT16_MIN, INT16_MAX, 256, 42});
    case DType::I8:
      return bytesOf(std::vector<int8_t>{0, -1, INT8_MIN, INT8_MAX, 16, 42});
    case DType::U8:
      return bytesOf(std::vector<uint8_t>{0, 1, 128, 255, 16, 42});
    case DType::Bool:
      return bytesOf(std::vector<uint8_t>{0, 1, 1, 0, 0, 1});
  }
  return {};
}

const std::vector<DType> kAllDTypes = {DType::F64, DType::F32, DType::F16, DType::BF16,
                                       DType::I64, DType::I32, DType::I16, DType::I8,
                                       DType::U8,  DType::Bool};

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;
  std::string path(const char* name) const { return (m_dir.path() + QLatin1Char('/') + QLatin1String(name)).toStdString(); }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void dtypeTable() {
    const std::vector<std::pair<const char*, size_t>> expected = {
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
        {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};
    QCOMPARE(kAllDTypes.size(), expected.size());
    for (size_t i = 0; i < kAllDTypes.size(); ++i) {
      QCOMPARE(dtypeName(kAllDTypes[i]), std::string(expected[i].first));
      QCOMPARE(dtypeSize(kAllDTypes[i]), expected[i].second);
      QVERIFY(dtypeFromName(expected[i].first) == kAllDTypes[i]);
    }
    QVERIFY(!dtypeFromName("f32").has_value());
    QVERIFY(!dtypeFromName("F8_E4M3").has_value());
    QCOMPARE(elementCount({}).value(), uint64_t(1));
    QCOMPARE(elementCount({2, 3, 4}).value(), uint64_t(24));
    QCOMPARE(elementCount({5, 0, 7}).value(), uint64_t(0));
    QVERIFY(!elementCount({2, -1}).has_value());
    QVERIFY(!elementCount({int64_t(1) << 40, int64_t(1) << 40}).has_value());
  }

  void roundTripEveryDtype_data() {
    QTest::addColumn<DType>("dtype");
    for (DType d : kAllDTypes) QTest::newRow(dtypeName(d).c_str()) << d;
  }

  void roundTripEveryDtype() {
    QFETCH(DType, dtype);
    const std::string raw = patternFor(dtype);
    const int64_t count = static_cast<int64_t>(raw.size() / dtypeSize(dtype));
    QCOMPARE(count, int64_t(6));
    const std::string file = path("roundtrip.safetensors");
    writeSafetensors(file, {{"x", dtype, {2, 3}, raw.data()}, {"tail", DType::U8, {1}, "\x7f"}});

    auto st = SafetensorsFile::open(file);
    QCOMPARE(st.tensors().size(), size_t(2));
    const TensorInfo* info = st.find("x");
    QVERIFY(info != nullptr);
    QVERIFY(info->dtype == dtype);
    QCOMPARE(info->shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(info->offset, size_t(0));
    QCOMPARE(info->nbytes, raw.size());
    QCOMPARE(std::string(reinterpret_cast<const char*>(st.data(*info)), info->nbytes), raw);
    QCOMPARE(*st.data(*st.find("tail")), uint8_t(0x7f));

    // Through LibTorch without conversion: the same bits, NaN payloads included.
    const torch::Tensor t = loadTensor(st, *info, /*toFloat32=*/false);
    QCOMPARE(t.scalar_type(), toScalarType(dtype));
    QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{2, 3}));
    QCOMPARE(tensorBytes(t), raw);
    const std::string again = path("roundtrip2.safetensors");
    saveTensors(again, {{"x", t}});
    auto st2 = SafetensorsFile::open(again);
    QVERIFY(st2.find("x")->dtype == dtype);
    QCOMPARE(std::string(reinterpret_cast<const char*>(st2.data(*st2.find("x"))), raw.size()), raw);

    // With conversion: reduced-precision and double floats become float32, others stay.
    const torch::Tensor f = loadTensor(st, *info);
    const bool converts = dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F64;
    QCOMPARE(f.scalar_type(), converts ? torch::kFloat32 : toScalarType(dtype));
    if (converts) {
      QCOMPARE(f[0][0].item<float>(), 1.0f);
      QCOMPARE(floatBits(f[0][1].item<float>()), 0x80000000u);  // -0.0 keeps its sign
      QVERIFY(std::isnan(f[0][2].item<float>()));
      QVERIFY(std::isnan(f[1][0].item<float>()));
    }
  }

  void metadataRoundTrip() {
    const std::string file = path("meta.safetensors");
    const std::map<std::string, std::string> meta = {
        {"format", "pt"}, {"empty", ""}, {"unicode", "\xc3\xbc\xe2\x9c\x93"},
        {"quotes", "a \"b\" \\ c\nd"}};
    const float one = 1.0f;
    writeSafetensors(file, {{"w", DType::F32, {1}, &one}}, meta);
    const auto st = SafetensorsFile::open(file);
    QCOMPARE(st.metadata(), meta);
    QCOMPARE(st.path(), file);
    writeSafetensors(file, {{"w", DType::F32, {1}, &one}});
    QVERIFY(SafetensorsFile::open(file).metadata().empty());
    QVERIFY(readFile(file).find("__metadata__") == std::string::npos);
  }

  void scalarAndZeroSizeTensors() {
    const std::string file = path("shapes.safetensors");
    const float scalar = 42.5f;
    const int64_t idx = 7;
    writeSafetensors(file, {{"empty", DType::F32, {0}, nullptr},
                            {"scalar", DType::F32, {}, &scalar},
                            {"empty3d", DType::I64, {3, 0, 2}, nullptr},
                            {"idx", DType::I64, {1}, &idx}});
    const auto st = SafetensorsFile::open(file);
    QCOMPARE(st.tensors().size(), size_t(4));
    QCOMPARE(st.find("scalar")->shape, std::vector<int64_t>{});
    QCOMPARE(st.find("scalar")->nbytes, size_t(4));
    QCOMPARE(st.find("scalar")->offset, size_t(0));
    QCOMPARE(st.find("empty")->nbytes, size_t(0));
    QCOMPARE(st.find("empty3d")->shape, (std::vector<int64_t>{3, 0, 2}));
    QCOMPARE(st.find("idx")->offset, size_t(4));
    QCOMPARE(st.fileSize(), 8 + st.headerSize() + 12);
    const auto all = loadTensors(st);
    QCOMPARE(all.size(), size_t(4));
    QCOMPARE(all.at("scalar").dim(), int64_t(0));
    QCOMPARE(all.at("scalar").item<float>(), 42.5f);
    QCOMPARE(all.at("empty").sizes().vec(), std::vector<int64_t>{0});
    QCOMPARE(all.at("empty3d").sizes().vec(), (std::vector<int64_t>{3, 0, 2}));
    QCOMPARE(all.at("empty3d").scalar_type(), torch::kInt64);
    QCOMPARE(all.at("idx").item<int64_t>(), int64_t(7));
    QVERIFY(st.find("missing") == nullptr);
  }

  void headerPaddingAndLayout() {
    const uint8_t bytes[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    for (int len = 1; len <= 9; ++len) {
      const std::string file = path("pad.safetensors");
      const std::string name(static_cast<size_t>(len), 'n');
      writeSafetensors(file, {{name, DType::U8, {3}, bytes}, {"b", DType::I16, {2}, bytes + 3}});
      const std::string raw = readFile(file);
      uint64_t n = 0;
      for (int i = 0; i < 8; ++i) n |= uint64_t(uint8_t(raw[i])) << (8 * i);
      QCOMPARE(n % 8, uint64_t(0));
      QCOMPARE(raw.size(), size_t(8 + n + 7));
      const std::string header = raw.substr(8, n);
      const size_t close = header.find_last_of('}');
      QCOMPARE(header.find_first_not_of(' ', close + 1), std::string::npos);
      QVERIFY(n - close - 1 < 8);
      const auto json = nlohmann::json::parse(header);
      QVERIFY(json.at(name).at("data_offsets") == nlohmann::json({0, 3}));
      QVERIFY(json.at("b").at("data_offsets") == nlohmann::json({3, 7}));
      QVERIFY(json.at("b").at("dtype") == "I16");
      QCOMPARE(raw.substr(8 + n), std::string(reinterpret_cast<const char*>(bytes), 7));
    }
  }

  void acceptsValidEdgeCases() {
    const std::string file = path("edge.safetensors");
    // No tensors at all, and a zero-size tensor right at the end of the data section.
    writeFile(file, makeFile("{}", 0));
    QCOMPARE(SafetensorsFile::open(file).tensors().size(), size_t(0));
    writeFile(file, makeFile(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                             R"("z":{"dtype":"F32","shape":[0],"data_offsets":[2,2]}}   )", 2));
    const auto st = SafetensorsFile::open(file);
    QCOMPARE(st.tensors().size(), size_t(2));
    QCOMPARE(st.find("z")->offset, size_t(2));
    // Tensors are listed by data position, not by name.
    writeFile(file, makeFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},)"
                             R"("b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})", 2));
    const auto ordered = SafetensorsFile::open(file);
    QCOMPARE(ordered.tensors()[0].name, std::string("b"));
    QCOMPARE(ordered.tensors()[1].name, std::string("a"));
  }

  void referenceFixture() {
    const auto st = SafetensorsFile::open(test::fixture("safetensors/reference.safetensors"));
    std::ifstream in(test::fixture("safetensors/reference_expected.json"));
    const auto expected = nlohmann::json::parse(in);
    QCOMPARE(st.headerSize(), expected.at("header_size").get<size_t>());
    QCOMPARE(st.fileSize(), 8 + st.headerSize() + expected.at("data_size").get<size_t>());
    QCOMPARE(st.metadata(), (expected.at("metadata").get<std::map<std::string, std::string>>()));
    QCOMPARE(st.metadata().at("note"), std::string("\xc3\xbc" "n" "\xc3\xaf" "code \xe2\x9c\x93"));
    QCOMPARE(st.tensors().size(), size_t(4));
    // Data order in the file is ids, bf, weight, half.
    QCOMPARE(st.tensors()[0].name + st.tensors()[1].name + st.tensors()[2].name +
                 st.tensors()[3].name, std::string("idsbfweighthalf"));

    const auto converted = loadTensors(st);
    const auto raw = loadTensors(st, /*toFloat32=*/false);
    for (const auto& [name, exp] : expected.at("tensors").items()) {
      const TensorInfo* info = st.find(name);
      QVERIFY2(info != nullptr, name.c_str());
      QCOMPARE(dtypeName(info->dtype), exp.at("dtype").get<std::string>());
      QCOMPARE(info->shape, exp.at("shape").get<std::vector<int64_t>>());
      QCOMPARE(info->offset, exp.at("data_offsets")[0].get<size_t>());
      QCOMPARE(info->offset + info->nbytes, exp.at("data_offsets")[1].get<size_t>());
      const torch::Tensor t = converted.at(name).flatten();
      if (name == "ids") {
        QCOMPARE(t.scalar_type(), torch::kInt64);
        const auto values = exp.at("values").get<std::vector<int64_t>>();
        QCOMPARE(t.numel(), int64_t(values.size()));
        for (size_t i = 0; i < values.size(); ++i) QCOMPARE(t[i].item<int64_t>(), values[i]);
        continue;
      }
      // Raw bits as stored, element by element.
      const auto bits = exp.at("bits").get<std::vector<uint32_t>>();
      const torch::Tensor r = raw.at(name).flatten();
      QCOMPARE(r.numel(), int64_t(bits.size()));
      const size_t width = dtypeSize(info->dtype);
      for (size_t i = 0; i < bits.size(); ++i) {
        uint32_t got = 0;
        std::memcpy(&got, static_cast<const char*>(r.data_ptr()) + i * width, width);
        QCOMPARE(got, bits[i]);
      }
      // float32 values after conversion, against numpy's conversion.
      QCOMPARE(t.scalar_type(), torch::kFloat32);
      const auto f32 = exp.at("f32_bits").get<std::vector<uint32_t>>();
      for (size_t i = 0; i < f32.size(); ++i) {
        const float got = t[static_cast<int64_t>(i)].item<float>();
        float want = 0;
        std::memcpy(&want, &f32[i], 4);
        if (std::isnan(want)) {
          QVERIFY(std::isnan(got));
        } else {
          QCOMPARE(floatBits(got), f32[i]);
        }
      }
    }
    QCOMPARE(raw.at("half").scalar_type(), torch::kFloat16);
    QCOMPARE(raw.at("bf").scalar_type(), torch::kBFloat16);
    QCOMPARE(converted.at("bf")[0][0].item<float>(), 3.140625f);  // pi in bfloat16
    QCOMPARE(converted.at("half")[2].item<float>(), 65504.0f);
  }

  void torchAdapter() {
    const std::string file = path("torch.safetensors");
    const auto base = torch::arange(12, torch::kFloat32).reshape({3, 4});
    std::map<std::string, torch::Tensor> in = {
        {"f32", base},
        {"transposed", base.t()},  // not contiguous: saved in its logical order
        {"bf16", base.to(torch::kBFloat16)},
        {"f64", base.to(torch::kFloat64) / 3},
        {"i32", torch::tensor({-3, 0, 9}, torch::kInt32)},
        {"mask", torch::tensor({true, false, true})},
        {"view", base.select(1, 2)}};
    saveTensors(file, in, {{"k", "v"}});
    const auto st = SafetensorsFile::open(file);
    QVERIFY(st.find("f32")->dtype == DType::F32);
    QVERIFY(st.find("bf16")->dtype == DType::BF16);
    QVERIFY(st.find("f64")->dtype == DType::F64);
    QVERIFY(st.find("i32")->dtype == DType::I32);
    QVERIFY(st.find("mask")->dtype == DType::Bool);
    QCOMPARE(st.metadata().at("k"), std::string("v"));
    std::map<std::string, torch::Tensor> out;
    {
      const auto reopened = SafetensorsFile::open(file);
      out = loadTensors(reopened);
    }  // the mapping is gone: tensors must own their memory
    QVERIFY(torch::equal(out.at("f32"), base));
    QVERIFY(torch::equal(out.at("transposed"), base.t()));
    QCOMPARE(out.at("transposed").sizes().vec(), (std::vector<int64_t>{4, 3}));
    QVERIFY(torch::equal(out.at("bf16"), base));  // small integers are exact in bfloat16
    QCOMPARE(out.at("f64").scalar_type(), torch::kFloat32);
    QVERIFY(torch::allclose(out.at("f64"), base / 3));
    QCOMPARE(out.at("i32").scalar_type(), torch::kInt32);
    QVERIFY(torch::equal(out.at("i32"), torch::tensor({-3, 0, 9}, torch::kInt32)));
    QCOMPARE(out.at("mask").scalar_type(), torch::kBool);
    QVERIFY(torch::equal(out.at("mask"), torch::tensor({true, false, true})));
    QVERIFY(torch::equal(out.at("view"), torch::tensor({2.0f, 6.0f, 10.0f})));
    QCOMPARE(loadTensors(st, false).at("f64").scalar_type(), torch::kFloat64);

    // Bool bytes other than 0/1 read as true instead of making an invalid bool.
    writeFile(file, makeFile(R"({"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}})", 0) +
                        std::string("\x00\x02\xff", 3));
    QVERIFY(torch::equal(loadTensors(SafetensorsFile::open(file)).at("m"),
                         torch::tensor({false, true, true})));

    const auto complex = caught([&] { saveTensors(path("c.safetensors"), {{"cplx", torch::zeros({2}, torch::kComplexFloat)}}); });
    QVERIFY(complex.retortError);
    QVERIFY(complex.kind == ErrorKind::Unsupported);
    QVERIFY2(complex.message.contains(QLatin1String("'cplx'")), qPrintable(complex.message));
    QVERIFY(complex.message.contains(QLatin1String("ComplexFloat")));
    QVERIFY(!QFile::exists(QString::fromStdString(path("c.safetensors"))));
    const auto undefined = caught([&] { saveTensors(path("u.safetensors"), {{"u", torch::Tensor()}}); });
    QVERIFY(undefined.kind == ErrorKind::InvalidArgument);
    QVERIFY(undefined.message.contains(QLatin1String("'u' is undefined")));
  }

  void moveAndDataChecks() {
    const std::string file = path("move.safetensors");
    const int32_t values[2] = {5, -6};
    writeSafetensors(file, {{"v", DType::I32, {2}, values}});
    auto a = SafetensorsFile::open(file);
    const uint8_t* before = a.data(*a.find("v"));
    SafetensorsFile b(std::move(a));
    QCOMPARE(b.data(*b.find("v")), before);
    auto c = SafetensorsFile::open(file);
    c = std::move(b);
    QCOMPARE(std::memcmp(c.data(*c.find("v")), values, 8), 0);
    TensorInfo foreign{"x", DType::I32, {100}, 0, 400};
    const auto outside = caught([&] { c.data(foreign); });
    QVERIFY(outside.kind == ErrorKind::InvalidArgument);
    QVERIFY(outside.message.contains(QLatin1String("'x'")));
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("reasons");
    auto row = [](const char* name, const std::string& bytes,
                  std::initializer_list<const char*> reasons) {
      QStringList list;
      for (const char* r : reasons) list << QString::fromUtf8(r);
      QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << list;
    };
    auto one = [](const std::string& body) { return "{\"w\":{" + body + "}}"; };
    const std::string ok = R"("dtype":"F32","shape":[2],"data_offsets":[0,8])";
    row("empty file", "", {"too short (0 bytes)", "8-byte header length"});
    row("shorter than 8 bytes", std::string("\x10\0\0\0\0", 5), {"too short (5 bytes)"});
    row("header larger than file", lengthPrefix(1000) + "{}", {"header size 1000 bytes is larger than the file (10 bytes"});
    row("absurd header size", lengthPrefix(uint64_t(1) << 40) + "{}", {"header size 1099511627776 bytes is absurd"});
    row("header just over 100 MiB", lengthPrefix(100ull * 1024 * 1024 + 1) + "{}", {"absurd", "100 MiB"});
    row("maximal header size", lengthPrefix(~uint64_t(0)) + "{}", {"absurd"});
    row("empty header", makeFile("", 8), {"header is not valid JSON"});
    row("not json", makeFile("{\"w\": nope}", 8), {"header is not valid JSON", "parse error"});
    row("truncated json", makeFile(one(ok).substr(0, 20), 8), {"header is not valid JSON"});
    row("invalid utf-8", makeFile("{\"w\xff\":{}}", 8), {"header is not valid JSON"});
    row("header is an array", makeFile("[1,2]", 8), {"header is not a JSON object (found array)"});
    row("header is a number", makeFile("7", 8), {"header is not a JSON object (found number)"});
    row("entry not an object", makeFile("{\"w\":[1]}", 8), {"tensor 'w'", "entry must be an object"});
    row("missing dtype", makeFile(one(R"("shape":[2],"data_offsets":[0,8])"), 8), {"tensor 'w'", "missing field 'dtype'"});
    row("dtype not a string", makeFile(one(R"("dtype":4,"shape":[2],"data_offsets":[0,8])"), 8), {"tensor 'w'", "field 'dtype' must be a string (found number)"});
    row("unknown dtype", makeFile(one(R"("dtype":"F8_E5M2","shape":[2],"data_offsets":[0,8])"), 8), {"tensor 'w'", "unknown dtype 'F8_E5M2'", "BF16"});
    row("missing shape", makeFile(one(R"("dtype":"F32","data_offsets":[0,8])"), 8), {"tensor 'w'", "missing field 'shape'"});
    row("shape not an array", makeFile(one(R"("dtype":"F32","shape":2,"data_offsets":[0,8])"), 8), {"tensor 'w'", "field 'shape' must be an array of integers (found number)"});
    row("shape of floats", makeFile(one(R"("dtype":"F32","shape":[2.0],"data_offsets":[0,8])"), 8), {"tensor 'w'", "field 'shape' must be an array of integers (index 0 is number)"});
    row("shape of strings", makeFile(one(R"("dtype":"F32","shape":["2"],"data_offsets":[0,8])"), 8), {"tensor 'w'", "(index 0 is string)"});
    row("negative dimension", makeFile(one(R"("dtype":"F32","shape":[1,-2],"data_offsets":[0,8])"), 8), {"tensor 'w'", "negative dimension (-2) at index 1"});
    row("dimension beyond int64", makeFile(one(R"("dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,8])"), 8), {"tensor 'w'", "dimension too large (18446744073709551615)"});
    row("number overflow", makeFile(one(R"("dtype":"U8","shape":[1e999],"data_offsets":[0,8])"), 8), {"header is not valid JSON"});
    row("missing data_offsets", makeFile(one(R"("dtype":"F32","shape":[2])"), 8), {"tensor 'w'", "missing field 'data_offsets'"});
    row("data_offsets one number", makeFile(one(R"("dtype":"F32","shape":[2],"data_offsets":[8])"), 8), {"tensor 'w'", "'data_offsets' must be an array of two non-negative integers"});
    row("data_offsets negative", makeFile(one(R"("dtype":"F32","shape":[2],"data_offsets":[-8,0])"), 8), {"tensor 'w'", "'data_offsets' must be an array of two non-negative integers"});
    row("data_offsets object", makeFile(one(R"("dtype":"F32","shape":[2],"data_offsets":{"a":1})"), 8), {"tensor 'w'", "'data_offsets' must be an array"});
    row("begin after end", makeFile(one(R"("dtype":"F32","shape":[2],"data_offsets":[8,0])"), 8), {"tensor 'w'", "data_offsets begin (8) is greater than end (0)"});
    row("end beyond data", makeFile(one(R"("dtype":"F32","shape":[16],"data_offsets":[0,64])"), 16), {"tensor 'w'", "data_offsets end (64) is beyond the end of the data section (16 bytes)"});
    row("end at 2^64-1", makeFile(one(R"("dtype":"U8","shape":[1],"data_offsets":[18446744073709551614,18446744073709551615])"), 8), {"tensor 'w'", "beyond the end of the data section (8 bytes)"});
    row("shape/size mismatch", makeFile(one(R"("dtype":"F32","shape":[2,3],"data_offsets":[0,20])"), 24), {"tensor 'w'", "shape/size mismatch", "shape [2, 3] with dtype F32 needs 24 bytes", "span 20 bytes"});
    row("element count overflow", makeFile(one(R"("dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,8])"), 8), {"tensor 'w'", "needs more than 2^64 bytes", "span 8 bytes"});
    row("byte count overflow", makeFile(one(R"("dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,8])"), 8), {"tensor 'w'", "needs more than 2^64 bytes"});
    row("overlapping tensors", makeFile(R"({"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},"b":{"dtype":"U8","shape":[16],"data_offsets":[8,24]}})", 24), {"tensors 'a' (bytes [0, 16)) and 'b' (bytes [8, 24)) overlap"});
    row("tensor inside another", makeFile(R"({"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},"b":{"dtype":"U8","shape":[2],"data_offsets":[8,10]},"c":{"dtype":"U8","shape":[2],"data_offsets":[12,14]}})", 16), {"'a'", "'b'", "overlap"});
    row("duplicate tensor names", makeFile("{" R"("w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]})" "}", 2), {"duplicate tensor name 'w'"});
    row("duplicate field", makeFile(one(R"("dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1])"), 2), {"duplicate key 'dtype'"});
    row("metadata not an object", makeFile(R"({"__metadata__":["a"]})", 0), {"'__metadata__' must be an object of strings (found array)"});
    row("metadata value not a string", makeFile(R"({"__metadata__":{"epoch":3}})", 0), {"'__metadata__' value for key 'epoch' is not a string (found number)"});
    row("deep nesting", makeFile(std::string(100000, '[') + std::string(100000, ']'), 0), {"nests deeper than 16 levels"});
  }

  void malformed() {
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, reasons);
    const std::string file = path("bad.safetensors");
    writeFile(file, bytes.toStdString());
    const Caught c = caught([&] { SafetensorsFile::open(file); });
    QVERIFY2(c.retortError, qPrintable(c.message));
    QVERIFY(c.kind == ErrorKind::Format);
    QVERIFY2(c.message.startsWith(QString::fromStdString(file) + QLatin1String(": ")), qPrintable(c.message));
    for (const QString& reason : reasons) QVERIFY2(c.message.contains(reason), qPrintable(c.message));
  }

  void openIoErrors() {
    const std::string missing = path("does-not-exist.safetensors");
    const auto c = caught([&] { SafetensorsFile::open(missing); });
    QVERIFY(c.kind == ErrorKind::Io);
    QVERIFY2(c.message.startsWith(QString::fromStdString(missing)), qPrintable(c.message));
    QVERIFY(c.message.contains(QLatin1String("cannot open: No such file or directory")));
    const auto d = caught([&] { SafetensorsFile::open(m_dir.path().toStdString()); });
    QVERIFY(d.kind == ErrorKind::Io);
    QVERIFY2(d.message.contains(QLatin1String("is a directory")), qPrintable(d.message));
  }

  void writerRejectsBadInput() {
    QTemporaryDir dir;
    const std::string file = (dir.path() + QLatin1String("/w.safetensors")).toStdString();
    const float v[2] = {1, 2};
    const auto dup = caught([&] { writeSafetensors(file, {{"w", DType::F32, {1}, v}, {"w", DType::F32, {1}, v}}); });
    QVERIFY(dup.kind == ErrorKind::InvalidArgument);
    QVERIFY2(dup.message.startsWith(QString::fromStdString(file)), qPrintable(dup.message));
    QVERIFY(dup.message.contains(QLatin1String("duplicate tensor name 'w'")));
    const auto reserved = caught([&] { writeSafetensors(file, {{"__metadata__", DType::F32, {1}, v}}); });
    QVERIFY(reserved.message.contains(QLatin1String("'__metadata__' is reserved")));
    const auto negative = caught([&] { writeSafetensors(file, {{"n", DType::F32, {-1}, v}}); });
    QVERIFY(negative.message.contains(QLatin1String("tensor 'n': shape [-1]")));
    const auto null = caught([&] { writeSafetensors(file, {{"p", DType::F32, {2}, nullptr}}); });
    QVERIFY(null.message.contains(QLatin1String("tensor 'p': data is null")));
    const auto utf8 = caught([&] { writeSafetensors(file, {}, {{"k", "\xff"}}); });
    QVERIFY(utf8.kind == ErrorKind::InvalidArgument);
    QVERIFY(utf8.message.contains(QLatin1String("UTF-8")));
    QCOMPARE(entries(dir.path()), QStringList());
  }

  void atomicWriteFailures() {
    QTemporaryDir dir;
    const float v = 1.0f;
    // Into a directory that does not exist, and "below" a regular file.
    const std::string noDir = (dir.path() + QLatin1String("/nope/w.safetensors")).toStdString();
    const auto a = caught([&] { writeSafetensors(noDir, {{"w", DType::F32, {}, &v}}); });
    QVERIFY(a.kind == ErrorKind::Io);
    QVERIFY2(a.message.startsWith(QString::fromStdString(noDir) + QLatin1String(": cannot write")), qPrintable(a.message));
    QVERIFY(a.message.contains(QLatin1String("No such file or directory")));
    writeFile((dir.path() + QLatin1String("/plain")).toStdString(), "x");
    const std::string underFile = (dir.path() + QLatin1String("/plain/w.safetensors")).toStdString();
    const auto b = caught([&] { writeSafetensors(underFile, {{"w", DType::F32, {}, &v}}); });
    QVERIFY(b.kind == ErrorKind::Io);
    QVERIFY(b.message.contains(QLatin1String("Not a directory")));
    // Over an existing directory: the rename fails and the temporary file goes.
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("target")));
    const std::string overDir = (dir.path() + QLatin1String("/target")).toStdString();
    const auto c = caught([&] { writeSafetensors(overDir, {{"w", DType::F32, {}, &v}}); });
    QVERIFY(c.kind == ErrorKind::Io);
    QVERIFY2(c.message.contains(QLatin1String("Is a directory")), qPrintable(c.message));
    QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("plain"), QStringLiteral("target")}));
  }

  void readOnlyDirectory() {
    if (::geteuid() == 0) QSKIP("root ignores directory permissions (see writeFailureMidFile)");
    QTemporaryDir dir;
    QVERIFY(::chmod(dir.path().toLocal8Bit().constData(), 0555) == 0);
    const std::string file = (dir.path() + QLatin1String("/w.safetensors")).toStdString();
    const float v = 1.0f;
    const auto c = caught([&] { writeSafetensors(file, {{"w", DType::F32, {}, &v}}); });
    ::chmod(dir.path().toLocal8Bit().constData(), 0755);
    QVERIFY(c.kind == ErrorKind::Io);
    QVERIFY(c.message.startsWith(QString::fromStdString(file)));
    QVERIFY(c.message.contains(QLatin1String("Permission denied")));
    QCOMPARE(entries(dir.path()), QStringList());
  }

  void writeFailureMidFile() {
    // A file-size limit makes write() fail part-way (EFBIG), as a full disk would.
    QTemporaryDir dir;
    const std::string file = (dir.path() + QLatin1String("/w.safetensors")).toStdString();
    const std::vector<float> small = {1, 2, 3};
    writeSafetensors(file, {{"old", DType::F32, {3}, small.data()}});
    const std::string before = readFile(file);
    const std::vector<float> big(1 << 16, 0.5f);
    rlimit saved{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto* previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved;
    limited.rlim_cur = 4096;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const auto c = caught([&] { writeSafetensors(file, {{"new", DType::F32, {1 << 16}, big.data()}}); });
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous);
    QVERIFY(c.kind == ErrorKind::Io);
    QVERIFY2(c.message.startsWith(QString::fromStdString(file) + QLatin1String(": cannot write: File too large")), qPrintable(c.message));
    QCOMPARE(readFile(file), before);  // the old file is untouched
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("w.safetensors")});
  }

  void overwriteReplacesCompletely() {
    QTemporaryDir dir;
    const std::string file = (dir.path() + QLatin1String("/w.safetensors")).toStdString();
    const std::vector<double> big(100000, 3.0);
    writeSafetensors(file, {{"big", DType::F64, {100000}, big.data()}, {"other", DType::F64, {2}, big.data()}});
    QVERIFY(readFile(file).size() > 800000);
    const int16_t small[2] = {7, -7};
    writeSafetensors(file, {{"small", DType::I16, {2}, small}}, {{"v", "2"}});
    const auto st = SafetensorsFile::open(file);
    QCOMPARE(st.fileSize(), 8 + st.headerSize() + 4);
    QCOMPARE(readFile(file).size(), st.fileSize());
    QCOMPARE(st.tensors().size(), size_t(1));
    QCOMPARE(st.tensors()[0].name, std::string("small"));
    QCOMPARE(std::memcmp(st.data(st.tensors()[0]), small, 4), 0);
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("w.safetensors")});
    QFileInfo info(QString::fromStdString(file));
    QVERIFY(info.permissions() & QFile::ReadOwner);
    QVERIFY(info.permissions() & QFile::ReadOther);  // 0666 & ~umask, not mkstemp's 0600
  }

  void fuzzedFilesNeverCrash() {
    const std::string valid = path("fuzz-source.safetensors");
    const std::vector<float> w(24, 0.25f);
    const std::vector<int64_t> ids = {1, 2, 3, 4};
    const uint16_t half[3] = {0x3C00, 0x7E00, 0x0001};
    writeSafetensors(valid, {{"w", DType::F32, {4, 6}, w.data()}, {"ids", DType::I64, {4}, ids.data()},
                             {"h", DType::F16, {3}, half}, {"s", DType::F32, {}, w.data()}},
                     {{"k", "v"}});
    const std::string source = readFile(valid);
    const size_t headerEnd = 8 + SafetensorsFile::open(valid).headerSize();
    std::mt19937 rng(20240611u);
    const std::string file = path("fuzz.safetensors");
    int opened = 0;
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
      std::string bytes = source;
      const int mode = static_cast<int>(rng() % 4);
      if (mode == 0) {
        bytes.resize(rng() % source.size());
      } else if (mode == 1) {  // bytes of the length prefix
        bytes[rng() % 8] = static_cast<char>(rng());
      } else {  // header bytes (mode 2) or data bytes (mode 3)
        const int flips = 1 + static_cast<int>(rng() % 6);
        for (int f = 0; f < flips; ++f) {
          const size_t from = (mode == 2) ? 8 : headerEnd;
          const size_t to = (mode == 2) ? headerEnd : bytes.size();
          const size_t at = from + rng() % (to - from);
          bytes[at] = (rng() % 2) ? static_cast<char>(rng()) : static_cast<char>('0' + rng() % 10);
        }
      }
      writeFile(file, bytes);
      try {
        const auto st = SafetensorsFile::open(file);
        uint64_t sum = 0;
        for (const auto& info : st.tensors()) {
          const uint8_t* p = st.data(info);
          for (size_t k = 0; k < info.nbytes; ++k) sum += p[k];
        }
        const auto loaded = loadTensors(st);
        QCOMPARE(loaded.size(), st.tensors().size());
        ++opened;
        Q_UNUSED(sum);
      } catch (const Error& e) {
        QVERIFY(e.kind() == ErrorKind::Format || e.kind() == ErrorKind::Io);
        QVERIFY2(QString::fromUtf8(e.what()).startsWith(QString::fromStdString(file)), e.what());
        ++refused;
      }
    }
    QCOMPARE(opened + refused, 200);
    QVERIFY(refused > 50);
    QVERIFY(opened > 0);
    qInfo("fuzz: %d opened, %d refused", opened, refused);
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
