// The prelude of every rendered C file (c_renderer.h): what the rendered code calls to mean
// exactly what the loop IR means. Plain C11 with GCC's vector extensions; builds with GCC and
// Clang without Tessel.
#include "stages/cpu/c_renderer.h"

namespace tessel::cpu {

namespace {

// Vector types, loads and stores, broadcasts and selects for one lane count.
std::string VectorTypes(int lanes) {
  std::string n = std::to_string(lanes), bytes = std::to_string(lanes * 4);
  std::string f = "tsl_f32x" + n, i = "tsl_i32x" + n;
  std::string text;
  text += "typedef float " + f + " __attribute__((vector_size(" + bytes + ")));\n";
  text += "typedef int32_t " + i + " __attribute__((vector_size(" + bytes + ")));\n";
  text += "typedef float " + f + "u __attribute__((vector_size(" + bytes + "), aligned(4)));\n";
  text += "typedef int32_t " + i + "u __attribute__((vector_size(" + bytes + "), aligned(4)));\n";
  for (const auto& [v, t] : {std::pair{f, std::string("float")}, std::pair{i, std::string("int32_t")}}) {
    text += "TSL_INLINE " + v + " tsl_load_" + v.substr(4) + "(const " + t + " *p) { return *(const " + v + " *)p; }\n";
    text += "TSL_INLINE " + v + " tsl_loadu_" + v.substr(4) + "(const " + t + " *p) { return *(const " + v + "u *)p; }\n";
    text += "TSL_INLINE void tsl_store_" + v.substr(4) + "(" + t + " *p, " + v + " x) { *(" + v + " *)p = x; }\n";
    text += "TSL_INLINE void tsl_storeu_" + v.substr(4) + "(" + t + " *p, " + v + " x) { *(" + v + "u *)p = x; }\n";
    // x - 0 is x for every float (-0 and NaN too), and the compiler makes it one broadcast.
    text += "TSL_INLINE " + v + " tsl_bcast_" + v.substr(4) + "(" + t + " x) { return x - (" + v +
            "){0}; }\n";
  }
  // i32 vector arithmetic wraps, as scalar i32 values do: computed on unsigned lanes.
  std::string u = "tsl_u32x" + n;
  text += "typedef uint32_t " + u + " __attribute__((vector_size(" + bytes + ")));\n";
  for (const auto& [name, op] : {std::pair{"add", "+"}, std::pair{"sub", "-"}, std::pair{"mul", "*"}}) {
    text += std::string("TSL_INLINE ") + i + " tsl_wrap_" + name + "_i32x" + n + "(" + i + " a, " + i +
            " b) { return (" + i + ")((" + u + ")a " + op + " (" + u + ")b); }\n";
  }
  text += "TSL_INLINE " + i + " tsl_wrap_neg_i32x" + n + "(" + i + " a) { return (" + i + ")(-(" + u + ")a); }\n";
  text += "TSL_INLINE " + i + " tsl_iota_i32x" + n + "(int32_t x) { " + i +
          " r; for (int l = 0; l < " + n + "; ++l) r[l] = x + l; return r; }\n";
  // Masks are what comparisons give: -1 where true, 0 where false.
  text += "TSL_INLINE " + f + " tsl_select_f32x" + n + "(" + i + " m, " + f + " a, " + f +
          " b) { return (" + f + ")((m & (" + i + ")a) | (~m & (" + i + ")b)); }\n";
  text += "TSL_INLINE " + i + " tsl_select_i32x" + n + "(" + i + " m, " + i + " a, " + i +
          " b) { return (m & a) | (~m & b); }\n";
  text += "TSL_INLINE " + f + " tsl_max_f32x" + n + "(" + f + " a, " + f +
          " b) { return tsl_select_f32x" + n + "((a > b) | (a != a), a, b); }\n";
  text += "TSL_INLINE " + f + " tsl_min_f32x" + n + "(" + f + " a, " + f +
          " b) { return tsl_select_f32x" + n + "((a < b) | (a != a), a, b); }\n";
  text += "TSL_INLINE " + i + " tsl_max_i32x" + n + "(" + i + " a, " + i +
          " b) { return tsl_select_i32x" + n + "(a > b, a, b); }\n";
  text += "TSL_INLINE " + i + " tsl_min_i32x" + n + "(" + i + " a, " + i +
          " b) { return tsl_select_i32x" + n + "(a < b, a, b); }\n";
  text += "TSL_INLINE " + f + " tsl_relu_f32x" + n + "(" + f + " x) { return tsl_select_f32x" +
          n + "((x > 0) | (x != x), x, tsl_bcast_f32x" + n + "(0.0f)); }\n";
  text += "TSL_INLINE " + f + " tsl_abs_f32x" + n + "(" + f + " x) { return (" + f + ")((" +
          i + ")x & 0x7fffffff); }\n";
  text += "TSL_INLINE float tsl_hsum_f32x" + n + "(" + f +
          " x) { float s = 0.0f; for (int l = 0; l < " + n + "; ++l) s += x[l]; return s; }\n";
  // Math functions lane by lane (the C library has no vector versions without -ffast-math).
  for (const char* fn : {"exp", "log", "sqrt", "tanh", "erf", "sin", "cos", "floor", "ceil",
                         "rsqrt", "sigmoid", "round", "sign"}) {
    std::string scalar = std::string("tsl_") + fn + "_f32";
    text += "TSL_INLINE " + f + " tsl_" + fn + "_f32x" + n + "(" + f + " x) { for (int l = 0; l < " +
            n + "; ++l) x[l] = " + scalar + "(x[l]); return x; }\n";
  }
  return text;
}

constexpr const char* kScalarHelpers = R"(/* ---- Tessel's C prelude: the loop IR's scalar semantics (docs/loop-ir.md) ---- */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Helpers a model does not call are not worth a warning. */
#define TSL_INLINE static inline __attribute__((unused))

/* Scratch memory: 64-byte aligned, so that vector loads of it may be aligned ones. */
TSL_INLINE void *tsl_alloc(size_t bytes) {
  void *p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
  if (!p) abort();
  return p;
}

/* i32 arithmetic in values wraps (two's complement), as the interpreter's does. */
TSL_INLINE int32_t tsl_wrap_add_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
TSL_INLINE int32_t tsl_wrap_sub_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
TSL_INLINE int32_t tsl_wrap_mul_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }
TSL_INLINE int32_t tsl_wrap_neg_i32(int32_t a) { return (int32_t)(0u - (uint32_t)a); }

/* Integer division: truncating (/, %) and flooring (floor_div, floor_mod); computed in 64 bits
   and cast back by the caller, so that INT32_MIN / -1 wraps. The interpreter reports a
   division by zero; compiled code gives 0 rather than trap. */
TSL_INLINE int64_t tsl_div_int(int64_t a, int64_t b) { return b == 0 ? 0 : a / b; }
TSL_INLINE int64_t tsl_mod_int(int64_t a, int64_t b) { return b == 0 ? 0 : a % b; }
TSL_INLINE int64_t tsl_floordiv_int(int64_t a, int64_t b) {
  if (b == 0) return 0;
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
TSL_INLINE int64_t tsl_floormod_int(int64_t a, int64_t b) {
  if (b == 0) return 0;
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
TSL_INLINE int64_t tsl_pow_int(int64_t a, int64_t e) {
  if (e < 0) return a == 1 ? 1 : a == -1 ? (e % 2 == 0 ? 1 : -1) : 0;
  uint64_t acc = 1, square = (uint64_t)a;
  for (; e > 0; e >>= 1, square *= square) if (e & 1) acc *= square;
  return (int64_t)acc;
}
TSL_INLINE int64_t tsl_abs_int(int64_t a) { return a < 0 ? -a : a; }
TSL_INLINE int64_t tsl_max_int(int64_t a, int64_t b) { return a > b ? a : b; }
TSL_INLINE int64_t tsl_min_int(int64_t a, int64_t b) { return a < b ? a : b; }
/* A float converted to an integer truncates toward zero and wraps; NaN and inf give 0. */
TSL_INLINE int64_t tsl_float_to_int(double x) {
  if (!isfinite(x)) return 0;
  double t = trunc(x);
  if (t >= 9.2e18 || t <= -9.2e18) return 0;
  return (int64_t)t;
}

/* Python's float // and % (what floor_div and floor_mod mean on floats). */
TSL_INLINE void tsl_float_divmod(double a, double b, double *div, double *mod) {
  if (b == 0) { *div = a / b; *mod = NAN; return; }
  *mod = fmod(a, b);
  *div = (a - *mod) / b;
  if (*mod != 0) {
    if ((b < 0) != (*mod < 0)) { *mod += b; *div -= 1.0; }
  } else {
    *mod = copysign(0.0, b);
  }
  if (*div != 0) {
    double floored = floor(*div);
    *div = *div - floored > 0.5 ? floored + 1.0 : floored;
  } else {
    *div = copysign(0.0, a / b);
  }
}
TSL_INLINE float tsl_floordiv_f32(float a, float b) { double d, m; tsl_float_divmod(a, b, &d, &m); return (float)d; }
TSL_INLINE float tsl_floormod_f32(float a, float b) { double d, m; tsl_float_divmod(a, b, &d, &m); return (float)m; }

/* maximum, minimum and relu propagate NaN, as NumPy's do. Math functions compute in double
   and round once, as the interpreter does, so that results agree to the last bit. */
TSL_INLINE float tsl_max_f32(float a, float b) { return a > b ? a : (a != a ? a : b); }
TSL_INLINE float tsl_min_f32(float a, float b) { return a < b ? a : (a != a ? a : b); }
TSL_INLINE float tsl_relu_f32(float x) { return x > 0 ? x : (x != x ? x : 0.0f); }
TSL_INLINE float tsl_sign_f32(float x) { return x != x ? x : (float)((x > 0) - (x < 0)); }
/* The double forms: an f32 result rounds once from double, and so does an f16 result. */
TSL_INLINE double tsl_sigmoid_f64(double x) { return 1.0 / (1.0 + exp(-x)); }
TSL_INLINE double tsl_rsqrt_f64(double x) { return 1.0 / sqrt(x); }
TSL_INLINE double tsl_exp_f64(double x) { return exp(x); }
TSL_INLINE double tsl_log_f64(double x) { return log(x); }
TSL_INLINE double tsl_sqrt_f64(double x) { return sqrt(x); }
TSL_INLINE double tsl_tanh_f64(double x) { return tanh(x); }
TSL_INLINE double tsl_erf_f64(double x) { return erf(x); }
TSL_INLINE double tsl_sin_f64(double x) { return sin(x); }
TSL_INLINE double tsl_cos_f64(double x) { return cos(x); }
TSL_INLINE double tsl_pow_f64(double a, double b) { return pow(a, b); }
TSL_INLINE float tsl_sigmoid_f32(float x) { return (float)tsl_sigmoid_f64(x); }
TSL_INLINE float tsl_rsqrt_f32(float x) { return (float)tsl_rsqrt_f64(x); }
TSL_INLINE float tsl_abs_f32(float x) { return fabsf(x); }
TSL_INLINE float tsl_fmod_f32(float a, float b) { return (float)fmod((double)a, (double)b); }
TSL_INLINE float tsl_pow_f32(float a, float b) { return (float)pow((double)a, (double)b); }
TSL_INLINE float tsl_exp_f32(float x) { return (float)exp((double)x); }
TSL_INLINE float tsl_log_f32(float x) { return (float)log((double)x); }
TSL_INLINE float tsl_sqrt_f32(float x) { return (float)sqrt((double)x); }
TSL_INLINE float tsl_tanh_f32(float x) { return (float)tanh((double)x); }
TSL_INLINE float tsl_erf_f32(float x) { return (float)erf((double)x); }
TSL_INLINE float tsl_sin_f32(float x) { return (float)sin((double)x); }
TSL_INLINE float tsl_cos_f32(float x) { return (float)cos((double)x); }
TSL_INLINE float tsl_floor_f32(float x) { return (float)floor((double)x); }
TSL_INLINE float tsl_ceil_f32(float x) { return (float)ceil((double)x); }
TSL_INLINE float tsl_round_f32(float x) { return (float)nearbyint((double)x); }
)";

}  // namespace

std::string CPrelude(int vector_bytes) {
  std::string text = kScalarHelpers;
  text += "\n/* Vector types (GCC/Clang vector extensions): tsl_f32xN, tsl_i32xN and their "
          "unaligned forms. */\n";
  for (int lanes : {4, 8, 16}) {
    if (lanes == 4 || lanes * 4 <= vector_bytes) text += VectorTypes(lanes);
  }
  return text + "/* ---- end of the prelude ---- */\n";
}

}  // namespace tessel::cpu
