// Early return on error for the generator's Result/Status-returning code.
#pragma once

#define GEN_CONCAT_INNER(a, b) a##b
#define GEN_CONCAT(a, b) GEN_CONCAT_INNER(a, b)

// GEN_TRY(auto x, expr): evaluates a Result, returns its error, else binds x.
#define GEN_TRY(decl, expr)                            \
    auto GEN_CONCAT(gen_try_, __LINE__) = (expr);      \
    if (!GEN_CONCAT(gen_try_, __LINE__))               \
        return GEN_CONCAT(gen_try_, __LINE__).error(); \
    decl = std::move(*GEN_CONCAT(gen_try_, __LINE__))

// GEN_CHECK(expr): evaluates a Status (or Result) and returns its error.
#define GEN_CHECK(expr)                \
    do {                               \
        auto gen_check_ = (expr);      \
        if (!gen_check_)               \
            return gen_check_.error(); \
    } while (0)
