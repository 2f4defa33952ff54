// Errors as values: the engine reports failures by returning them, never by
// throwing. A failure carries a code, for callers that decide by its kind,
// and a message, for people. (std::expected is C++23; GCC 12 and Clang 14
// in C++20 mode lack it.) Shaped like Abseil's Status/StatusOr: a failed
// Status converts into any Result<T>, so `if (!s) return s;` forwards it.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace coapjws {

// What kind of failure an Error is. Callers branch on the code, never on the
// message text.
enum class ErrorCode : std::uint8_t {
    invalid_argument,  // a value the caller chose is out of range (configuration, flags)
    malformed,         // input that breaks its format (CoAP, base64url, JSON, JWK, PEM, pcap)
    unsupported,       // well-formed, but outside what is implemented (algorithm, curve)
    refused,           // well-formed, but refused on purpose (alg "none", weak or mismatched key)
    too_large,         // over a size or count limit
    not_found,         // a file or item that does not exist
    io,                // reading or writing failed
    crypto,            // OpenSSL failed where it should not have
    internal,          // a broken invariant of our own
};

// "invalid-argument", "malformed", ...: stable names for logs and tests.
std::string_view to_string(ErrorCode code);

// A failure: its kind and a one-line reason ("seq is a string", "key #2:
// RSA key has 1024 bits, at least 2048 needed"). Messages never contain
// secret bytes.
struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;
};

inline Error fail(ErrorCode code, std::string message) {
    return Error{code, std::move(message)};
}

// The outcome of an operation that produces nothing but may fail.
class [[nodiscard]] Status {
  public:
    Status() = default;  // success
    Status(Error error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }

    const Error& error() const {
        assert(!ok_);
        return error_;
    }
    ErrorCode code() const { return error().code; }
    const std::string& message() const { return error().message; }

  private:
    Error error_;
    bool ok_ = true;
};

// A value of type T, or the Error that prevented it.
template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}
    // A failed Status (or another Result's status()) is this Result's error.
    // Converting a successful Status is a bug: it becomes an internal error.
    Result(Status failed)
        : state_(std::in_place_index<1>,
                 failed ? Error{ErrorCode::internal, "success converted into a failure"}
                        : failed.error()) {
        assert(!failed);
    }

    bool ok() const { return state_.index() == 0; }
    bool has_value() const { return ok(); }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(state_);
    }
    ErrorCode code() const { return error().code; }
    const std::string& message() const { return error().message; }
    // Success, or the error: to forward a failure into another Result type.
    Status status() const { return ok() ? Status() : Status(error()); }

  private:
    std::variant<T, Error> state_;
};

}  // namespace coapjws
