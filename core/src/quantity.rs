//! Kubernetes resource quantities with exact arithmetic (`4Gi`, `4096Mi`, `4.5G`, `1e3`, `0.5`, `100m`).
//!
//! Written here rather than taken from a crate: the one maintained crate (kube_quantity) parses through `f64`
//! (accepting `nan` and `inf`, losing precision) and its arithmetic panics on overflow; the grammar is small,
//! and validation must never panic. Values are held as exact milli-units in an `i128`, as Kubernetes holds them
//! (at most 3 decimal places, rounded up; magnitude at most 2^63-1).

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::fmt;

/// An exact quantity, in thousandths of the unit (bytes, cores, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Milli(pub i128);

/// Why a quantity did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("is empty")]
    Empty,
    #[error("is not a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E or an exponent)")]
    Syntax,
    #[error("is larger than 2^63-1")]
    TooLarge,
}

const MAX_UNITS: i128 = i64::MAX as i128;
/// The bound in milli-units.
const MAX_MILLI: i128 = MAX_UNITS * 1000;
/// The largest power of ten a non-zero mantissa can be scaled by within [`MAX_MILLI`] (about 9.2 * 10^21).
const MAX_POW10: u32 = 21;

/// Parses a quantity string with Kubernetes semantics.
pub fn parse(text: &str) -> Result<Milli, QuantityError> {
    if text.is_empty() {
        return Err(QuantityError::Empty);
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = &text[int_start..i];
    let mut frac_digits = "";
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = &text[start..i];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(QuantityError::Syntax);
    }
    let (exp10, exp2) = suffix(&text[i..])?;

    // value = digits * 10^(exp10 - frac_len) * 2^exp2, in milli-units: shift by 10^3. The significant digits
    // (integer then fraction, leading zeros skipped) are read in place, in one pass.
    let (int_digits, frac_digits) = (int_digits.as_bytes(), frac_digits.as_bytes());
    let leading = int_digits.iter().chain(frac_digits).take_while(|b| **b == b'0').count();
    let count = (int_digits.len() + frac_digits.len() - leading) as i64;
    let mut scale10 = exp10 + 3 - frac_digits.len() as i64;
    // Digits below the milli-unit only round up: drop them first, which keeps the mantissa bounded.
    let dropped = (-scale10).clamp(0, count);
    scale10 += dropped;
    let kept = (count - dropped) as usize;
    if kept > MAX_DIGITS {
        return Err(QuantityError::TooLarge);
    }
    let mut mantissa = Mantissa::default();
    let mut round_up = false;
    for &b in int_digits.iter().chain(frac_digits).skip(leading) {
        if mantissa.len < kept {
            mantissa.push(b - b'0');
        } else if b != b'0' {
            round_up = true;
            break;
        }
    }
    let mut value = if kept == 0 {
        // No digit, or every digit below a milli-unit.
        0
    } else {
        mantissa.scaled(scale10, exp2)?
    };
    if round_up {
        value += 1;
    }
    if value > MAX_MILLI {
        return Err(QuantityError::TooLarge);
    }
    Ok(Milli(if negative { -value } else { value }))
}

/// The most significant digits a value within [`MAX_MILLI`] can have (with an exponent bringing it back down).
const MAX_DIGITS: usize = 30;

/// `10^n` for every `n` a `u64` holds.
const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut n = 1;
    while n < 20 {
        table[n] = table[n - 1] * 10;
        n += 1;
    }
    table
};

/// `u64::MAX / 10^n`: a `u64` mantissa of at most this times `10^n` does not overflow. A comparison with it
/// replaces `checked_mul`, which on wasm32 is a call to the 128-bit multiply `__multi3` (`perf`: a sixth of the
/// guest's time in this function).
const POW10_LIMIT: [u64; 20] = {
    let mut table = [0u64; 20];
    let mut n = 0;
    while n < 20 {
        table[n] = u64::MAX / POW10[n];
        n += 1;
    }
    table
};

/// The kept digits of a quantity, at most [`MAX_DIGITS`]: the first 19 in one `u64`, the rest (at most 11) in
/// another, so that no 128-bit arithmetic is done unless a value needs it (on wasm32 each 128-bit multiply is a
/// call, and quantities are read many times per validation).
#[derive(Default)]
struct Mantissa {
    head: u64,
    tail: u64,
    tail_len: usize,
    len: usize,
}

impl Mantissa {
    fn push(&mut self, digit: u8) {
        if self.len < 19 {
            self.head = self.head * 10 + u64::from(digit);
        } else {
            self.tail = self.tail * 10 + u64::from(digit);
            self.tail_len += 1;
        }
        self.len += 1;
    }

    /// `mantissa * 10^scale10 * 2^exp2` within [`MAX_MILLI`]: in 64 bits when it fits (every quantity below
    /// 1.8 * 10^16 units), else in 128 bits with one checked multiply and one checked shift.
    fn scaled(&self, scale10: i64, exp2: u32) -> Result<i128, QuantityError> {
        let pow10 = u32::try_from(scale10).ok().filter(|p| *p <= MAX_POW10);
        if self.tail_len == 0
            && let Some(v) = pow10
                .map(|p| p as usize)
                .filter(|p| *p < POW10.len() && self.head <= POW10_LIMIT[*p])
                .map(|p| self.head * POW10[p])
                .filter(|v| *v <= u64::MAX >> exp2)
        {
            return Ok(i128::from(v << exp2));
        }
        let mantissa = i128::from(self.head) * i128::from(POW10[self.tail_len]) + i128::from(self.tail);
        pow10
            .and_then(|p| mantissa.checked_mul(10i128.pow(p)))
            .filter(|v| *v <= MAX_MILLI >> exp2)
            .map(|v| v << exp2)
            .ok_or(QuantityError::TooLarge)
    }
}

/// The (power of ten, power of two) a suffix stands for.
fn suffix(s: &str) -> Result<(i64, u32), QuantityError> {
    Ok(match s {
        "" => (0, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        _ => {
            let rest = s.strip_prefix(['e', 'E']).ok_or(QuantityError::Syntax)?;
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(QuantityError::Syntax);
            }
            let exp: i64 = rest.parse().map_err(|_| QuantityError::Syntax)?;
            (exp, 0)
        }
    })
}

/// Parses a k8s-openapi `Quantity`.
pub fn parse_quantity(q: &Quantity) -> Result<Milli, QuantityError> {
    parse(&q.0)
}

/// `q * factor`, written in the same family of suffix (binary or decimal) as `q`; `None` when `q` does not
/// parse or the product overflows.
pub fn multiply(q: &Quantity, factor: i128) -> Option<Quantity> {
    let value = parse_quantity(q).ok()?.0.checked_mul(factor)?;
    if value > MAX_MILLI {
        return None;
    }
    Some(Quantity(format(Milli(value), q.0.ends_with('i'))))
}

/// Formats an exact value canonically: the largest suffix that divides it, binary when `binary` is asked for.
pub fn format(value: Milli, binary: bool) -> String {
    let m = value.0;
    if m % 1000 != 0 {
        return format!("{m}m");
    }
    let units = m / 1000;
    let binary_suffixes = [
        ("Ei", 60u32),
        ("Pi", 50),
        ("Ti", 40),
        ("Gi", 30),
        ("Mi", 20),
        ("Ki", 10),
    ];
    let decimal_suffixes = [("E", 18u32), ("P", 15), ("T", 12), ("G", 9), ("M", 6), ("k", 3)];
    if units != 0 {
        if binary {
            for (s, p) in binary_suffixes {
                let d = 1i128 << p;
                if units % d == 0 {
                    return format!("{}{s}", units / d);
                }
            }
        } else {
            for (s, p) in decimal_suffixes {
                let d = 10i128.pow(p);
                if units % d == 0 {
                    return format!("{}{s}", units / d);
                }
            }
        }
    }
    units.to_string()
}

impl fmt::Display for Milli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format(*self, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GI: i128 = 1 << 30;

    #[test]
    fn parses_kubernetes_forms() {
        assert_eq!(parse("4Gi"), Ok(Milli(4 * GI * 1000)));
        assert_eq!(parse("4096Mi"), parse("4Gi"));
        assert_eq!(parse("4.5G"), Ok(Milli(4_500_000_000_000)));
        assert_eq!(parse("1e3"), Ok(Milli(1_000_000)));
        assert_eq!(parse("1E-3"), Ok(Milli(1)));
        assert_eq!(parse("0.5"), Ok(Milli(500)));
        assert_eq!(parse("100m"), Ok(Milli(100)));
        assert_eq!(parse(".5"), Ok(Milli(500)));
        assert_eq!(parse("5."), Ok(Milli(5000)));
        assert_eq!(parse("+2"), Ok(Milli(2000)));
        assert_eq!(parse("-2"), Ok(Milli(-2000)));
        assert_eq!(parse("0.1m"), Ok(Milli(1)), "rounds up to a milli-unit like Kubernetes");
        assert_eq!(parse("1n"), Ok(Milli(1)));
        assert_eq!(parse("0"), Ok(Milli(0)));
    }

    #[test]
    fn rejects_what_kubernetes_rejects() {
        for bad in [
            "", "Gi", "4GB", "4 Gi", "nan", "inf", "1e", "1e+", "--1", "4gi", "1.2.3", "0x10", "1e99999",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert_eq!(parse("10Ei"), Err(QuantityError::TooLarge));
        assert_eq!(parse("1e30"), Err(QuantityError::TooLarge));
        assert_eq!(parse(&"9".repeat(5000)), Err(QuantityError::TooLarge));
    }

    #[test]
    fn holds_the_bound_exactly() {
        let max = i64::MAX as i128;
        assert_eq!(parse("9223372036854775807"), Ok(Milli(max * 1000)));
        assert_eq!(parse("9223372036854775808"), Err(QuantityError::TooLarge));
        assert_eq!(parse("9223372036854775807000m"), Ok(Milli(max * 1000)));
        assert_eq!(parse("7Ei"), Ok(Milli((7 * 1000) << 60)));
        assert_eq!(parse("8Ei"), Err(QuantityError::TooLarge), "2^63 is one over");
        assert_eq!(parse("8388607Ti"), Ok(Milli((8_388_607 * 1000) << 40)));
        assert_eq!(parse("9.223372036854775807E"), Ok(Milli(max * 1000)));
        assert_eq!(parse("9.223372036854775808E"), Err(QuantityError::TooLarge));
        assert_eq!(
            parse("0.000000000000000000000000001E"),
            Ok(Milli(1)),
            "rounds up, never scales"
        );
        assert_eq!(parse("0Ei"), Ok(Milli(0)));
        assert_eq!(parse("0e99"), Ok(Milli(0)), "zero at any scale");
        assert_eq!(parse("1e18"), Ok(Milli(10i128.pow(21))));
        assert_eq!(parse("1e19"), Err(QuantityError::TooLarge));
        assert_eq!(parse("-9223372036854775807"), Ok(Milli(-max * 1000)));
    }

    #[test]
    fn takes_the_64_bit_path_up_to_its_limit_exactly() {
        // `e-2` leaves the mantissa times 10 in milli-units: at `u64::MAX / 10` the product still fits a `u64`,
        // one more takes the 128-bit path; both are exact.
        let limit = u64::MAX / 10;
        for head in [limit - 1, limit, limit + 1] {
            assert_eq!(parse(&format!("{head}e-2")), Ok(Milli(i128::from(head) * 10)), "{head}");
        }
    }

    proptest::proptest! {
        /// The 64-bit fast path and the 128-bit path of `scaled` (mantissas of up to 30 digits: one `u64` or
        /// two; small ones drawn as often as large ones, so the fast path is taken too) both give the exact
        /// product, or `TooLarge` exactly when it is over the bound.
        #[test]
        fn scales_exactly(
            mantissa in proptest::prop_oneof![1u128..100_000, 1u128..10u128.pow(MAX_DIGITS as u32)],
            scale10 in 0i64..26,
            exp2 in proptest::sample::select(vec![0u32, 10, 20, 30, 40, 50, 60]),
        ) {
            let exact = i128::try_from(mantissa)
                .ok()
                .and_then(|m| m.checked_mul(10i128.pow(scale10 as u32)))
                .and_then(|v| v.checked_mul(1i128 << exp2))
                .filter(|v| *v <= MAX_MILLI)
                .ok_or(QuantityError::TooLarge);
            let mut digits = Mantissa::default();
            mantissa.to_string().bytes().for_each(|b| digits.push(b - b'0'));
            proptest::prop_assert_eq!(digits.scaled(scale10, exp2), exact);
        }
    }

    #[test]
    fn multiplies_in_the_same_suffix_family() {
        assert_eq!(multiply(&Quantity("4Gi".into()), 5), Some(Quantity("20Gi".into())));
        assert_eq!(multiply(&Quantity("3G".into()), 5), Some(Quantity("15G".into())));
        assert_eq!(multiply(&Quantity("1536Mi".into()), 5), Some(Quantity("7680Mi".into())));
        assert_eq!(multiply(&Quantity("bad".into()), 5), None);
        assert_eq!(multiply(&Quantity("7Ei".into()), 5), None);
    }
}
