// An expected-style result type: the engine reports errors as values, never by
// throwing. (std::expected is C++23; GCC 12 / Clang 14 in C++20 mode lack it.)
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace coapjws {

// A failure with a human-readable reason ("seq is a string", "key #2: RSA key
// has 1024 bits, at least 2048 needed"). Messages never contain secret bytes.
struct Error {
    std::string message;
};

// Wraps an error so Result<T> can be constructed from it unambiguously.
struct Unexpected {
    Error error;
};

inline Unexpected fail(std::string message) { return Unexpected{Error{std::move(message)}}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Unexpected failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!has_value());
        return std::get<1>(state_);
    }

private:
    std::variant<T, Error> state_;
};

// Result of an operation that produces nothing but may fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Unexpected failure) : error_(std::move(failure.error)), ok_(false) {}

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const {
        assert(!ok_);
        return error_;
    }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace coapjws
